package com.quanyi.node.inventory;

import static com.quanyi.protocol.inventory.InventoryProtocol.TYPE_KEY;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.inventory.InventoryProtocol.AlreadyRegistered;
import com.quanyi.protocol.inventory.InventoryProtocol.Command;
import com.quanyi.protocol.inventory.InventoryProtocol.Event;
import com.quanyi.protocol.inventory.InventoryProtocol.Found;
import com.quanyi.protocol.inventory.InventoryProtocol.GetSku;
import com.quanyi.protocol.inventory.InventoryProtocol.NotFound;
import com.quanyi.protocol.inventory.InventoryProtocol.RegisterSku;
import com.quanyi.protocol.inventory.InventoryProtocol.Registered;
import com.quanyi.protocol.inventory.InventoryProtocol.SkuRegistered;
import com.quanyi.protocol.inventory.InventoryProtocol.SkuView;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One SKU: its catalog definition and (from the inventory issue on) its stock. One sharded
 * persistent actor per SKU, so every decision about the SKU is taken in one place, in memory.
 */
public final class SkuInventory
    extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, SkuInventory.State> {

  /** Unregistered until an operator registers the SKU; then the registered view. */
  public sealed interface State extends CborSerializable permits Unregistered, Active {}

  public record Unregistered() implements State {}

  public record Active(SkuView sku) implements State {}

  private final Clock clock;

  private SkuInventory(PersistenceId persistenceId, Clock clock) {
    super(persistenceId);
    this.clock = clock;
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC())));
  }

  public static Behavior<Command> create(String skuId, Clock clock) {
    return new SkuInventory(PersistenceId.of(TYPE_KEY.name(), skuId), clock);
  }

  @Override
  public State emptyState() {
    return new Unregistered();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder.forStateType(Unregistered.class)
        .onCommand(RegisterSku.class, (state, cmd) -> Effect()
            .persist(new SkuRegistered(cmd.definition(), cmd.actor(), clock.instant()))
            .thenReply(cmd.replyTo(), registered -> new Registered(((Active) registered).sku())))
        .onCommand(GetSku.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new NotFound()));
    builder.forStateType(Active.class)
        .onCommand(RegisterSku.class, (state, cmd) -> alreadyRegistered(state, cmd))
        .onCommand(GetSku.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Found(state.sku())));
    return builder.build();
  }

  private ReplyEffect<Event, State> alreadyRegistered(Active state, RegisterSku cmd) {
    return Effect().reply(cmd.replyTo(), new AlreadyRegistered(state.sku()));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forAnyState()
        .onEvent(SkuRegistered.class, (state, event) -> new Active(new SkuView(event.definition(), event.at())));
    return builder.build();
  }
}
