package com.quanyi.node.inventory;

import com.quanyi.protocol.inventory.InventoryProtocol.Allocate;
import com.quanyi.protocol.inventory.InventoryProtocol.AllocateGroup;
import com.quanyi.protocol.inventory.InventoryProtocol.AllocationOverloaded;
import com.quanyi.protocol.inventory.InventoryProtocol.Command;
import com.quanyi.protocol.inventory.InventoryProtocol.GroupDone;
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
 * hands them over as one group, decided together and persisted as one event. A group that
 * allocates nothing (sold out, or only repeats of earlier orders) is answered from memory with no
 * write. The front does not answer "sold out" itself: only the persistent part knows which orders
 * already hold units, and a retried order must get its units back, not a refusal.
 */
final class InventoryGroupCommit extends AbstractBehavior<Command> {

  private final ActorRef<Command> inventory;
  private final int maxWaiting;
  private final int maxGroupSize;
  private List<Allocate> waiting = new ArrayList<>();
  private boolean groupInFlight;

  static Behavior<Command> create(String skuId, InventorySettings settings, Clock clock) {
    return Behaviors.setup(ctx -> new InventoryGroupCommit(ctx, skuId, settings, clock));
  }

  private InventoryGroupCommit(ActorContext<Command> ctx, String skuId, InventorySettings settings, Clock clock) {
    super(ctx);
    this.inventory = ctx.spawn(SkuInventory.create(skuId, ctx.getSelf(), clock, settings), "stock");
    ctx.watch(inventory);
    this.maxWaiting = settings.maxWaitingAllocations();
    this.maxGroupSize = settings.maxGroupSize();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Allocate.class, this::onAllocate)
        .onMessage(GroupDone.class, this::onGroupDone)
        .onMessage(Command.class, this::forward)
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .build();
  }

  private Behavior<Command> onAllocate(Allocate request) {
    if (!groupInFlight) {
      inventory.tell(new AllocateGroup(List.of(request)));
      groupInFlight = true;
    } else if (waiting.size() >= maxWaiting) {
      request.replyTo().tell(new AllocationOverloaded());
    } else {
      waiting.add(request);
    }
    return this;
  }

  /** The persistent part finished a group: the next one may go. */
  private Behavior<Command> onGroupDone(GroupDone done) {
    if (!groupInFlight) {
      return this;
    }
    if (waiting.isEmpty()) {
      groupInFlight = false;
      return this;
    }
    List<Allocate> group;
    if (waiting.size() <= maxGroupSize) {
      group = waiting;
      waiting = new ArrayList<>();
    } else {
      group = new ArrayList<>(waiting.subList(0, maxGroupSize));
      waiting = new ArrayList<>(waiting.subList(maxGroupSize, waiting.size()));
    }
    inventory.tell(new AllocateGroup(group));
    return this;
  }

  private Behavior<Command> forward(Command command) {
    inventory.tell(command);
    return this;
  }
}
