package com.quanyi.node.inventory;

import com.quanyi.protocol.inventory.InventoryProtocol.AddBatch;
import com.quanyi.protocol.inventory.InventoryProtocol.Allocate;
import com.quanyi.protocol.inventory.InventoryProtocol.AllocateGroup;
import com.quanyi.protocol.inventory.InventoryProtocol.AllocationOverloaded;
import com.quanyi.protocol.inventory.InventoryProtocol.Command;
import com.quanyi.protocol.inventory.InventoryProtocol.OutOfStock;
import com.quanyi.protocol.inventory.InventoryProtocol.Release;
import com.quanyi.protocol.inventory.InventoryProtocol.StockLevel;
import com.quanyi.protocol.inventory.InventoryProtocol.UnfreezeBatch;
import com.quanyi.protocol.inventory.InventoryProtocol.UpdateSku;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Group commit in front of a {@link SkuInventory}. A persistent actor handles one command per
 * journal write; this front gathers the allocations that arrive while a write is in flight and
 * hands them over as one group, decided together and persisted as one event. A sold-out SKU is
 * answered here, from memory, with no write and no trip to the persistent actor.
 */
final class InventoryGroupCommit extends AbstractBehavior<Command> {

  private static final long UNKNOWN = -1;

  private final ActorRef<Command> inventory;
  private final int maxWaiting;
  private List<Allocate> waiting = new ArrayList<>();
  private boolean groupInFlight;
  private long knownAvailable = UNKNOWN;

  static Behavior<Command> create(String skuId, InventorySettings settings, Clock clock) {
    return Behaviors.setup(ctx -> new InventoryGroupCommit(ctx, skuId, settings, clock));
  }

  private InventoryGroupCommit(ActorContext<Command> ctx, String skuId, InventorySettings settings, Clock clock) {
    super(ctx);
    this.inventory = ctx.spawn(SkuInventory.create(skuId, ctx.getSelf(), clock, settings), "stock");
    ctx.watch(inventory);
    this.maxWaiting = settings.maxWaitingAllocations();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Allocate.class, this::onAllocate)
        .onMessage(StockLevel.class, this::onStockLevel)
        .onMessage(AddBatch.class, this::restockThenForward)
        .onMessage(Release.class, this::restockThenForward)
        .onMessage(UnfreezeBatch.class, this::restockThenForward)
        .onMessage(UpdateSku.class, this::restockThenForward)
        .onMessage(Command.class, this::forward)
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> onAllocate(Allocate request) {
    if (knownAvailable == 0) {
      request.replyTo().tell(new OutOfStock(0));
    } else if (!groupInFlight) {
      inventory.tell(new AllocateGroup(List.of(request)));
      groupInFlight = true;
    } else if (waiting.size() >= maxWaiting) {
      request.replyTo().tell(new AllocationOverloaded());
    } else {
      waiting.add(request);
    }
    return this;
  }

  private Behavior<Command> onStockLevel(StockLevel level) {
    knownAvailable = level.available();
    if (!groupInFlight) {
      return this;
    }
    if (waiting.isEmpty()) {
      groupInFlight = false;
      return this;
    }
    List<Allocate> group = waiting;
    waiting = new ArrayList<>();
    if (knownAvailable == 0) {
      group.forEach(r -> r.replyTo().tell(new OutOfStock(0)));
      groupInFlight = false;
    } else {
      inventory.tell(new AllocateGroup(group));
    }
    return this;
  }

  /** These can add stock: stop trusting a sold-out level until the inventory reports again. */
  private Behavior<Command> restockThenForward(Command command) {
    knownAvailable = UNKNOWN;
    return forward(command);
  }

  private Behavior<Command> forward(Command command) {
    inventory.tell(command);
    return this;
  }
}
