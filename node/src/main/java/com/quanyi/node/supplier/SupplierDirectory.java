package com.quanyi.node.supplier;

import static com.quanyi.protocol.supplier.SupplierDirectoryProtocol.TYPE_KEY;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.supplier.RouteEntry;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.AlreadyRegistered;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.Command;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.Event;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.GetRoute;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.ListSuppliers;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.RegisterSupplier;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.Registered;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.Route;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.RouteRefused;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.RouteSet;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.SetRoute;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.Supplier;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.SupplierList;
import com.quanyi.protocol.supplier.SupplierDirectoryProtocol.SupplierRegistered;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/** The platform's suppliers and the routes of its top-up SKUs (see {@link SupplierDirectoryProtocol}). */
public final class SupplierDirectory
    extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, SupplierDirectory.State> {

  public record State(Map<String, Supplier> suppliers, Map<String, List<RouteEntry>> routes)
      implements CborSerializable {}

  private final Clock clock;

  private SupplierDirectory(PersistenceId id, Clock clock) {
    super(id);
    this.clock = clock;
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC())));
  }

  public static Behavior<Command> create(String entityId, Clock clock) {
    return new SupplierDirectory(PersistenceId.of(TYPE_KEY.name(), entityId), clock);
  }

  @Override
  public State emptyState() {
    return new State(Map.of(), Map.of());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(RegisterSupplier.class, (state, cmd) -> {
          Supplier existing = state.suppliers().get(cmd.definition().supplierId());
          if (existing != null) {
            return Effect().reply(cmd.replyTo(), new AlreadyRegistered(existing));
          }
          return Effect().persist(new SupplierRegistered(cmd.definition(), cmd.credentials(), cmd.actor(), clock.instant()))
              .thenReply(cmd.replyTo(), s -> new Registered(s.suppliers().get(cmd.definition().supplierId())));
        })
        .onCommand(ListSuppliers.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new SupplierList(
            state.suppliers().values().stream()
                .sorted(Comparator.comparing(s -> s.definition().supplierId())).toList())))
        .onCommand(SetRoute.class, this::setRoute)
        .onCommand(GetRoute.class, (state, cmd) -> Effect().reply(cmd.replyTo(), route(state, cmd.skuId())))
        .build();
  }

  private ReplyEffect<Event, State> setRoute(State state, SetRoute cmd) {
    if (cmd.entries().size() > SupplierDirectoryProtocol.MAX_ROUTE_LENGTH) {
      return Effect().reply(cmd.replyTo(), new RouteRefused("a route has at most "
          + SupplierDirectoryProtocol.MAX_ROUTE_LENGTH + " suppliers"));
    }
    var seen = new HashSet<String>();
    for (RouteEntry entry : cmd.entries()) {
      if (!state.suppliers().containsKey(entry.supplierId())) {
        return Effect().reply(cmd.replyTo(), new RouteRefused("no supplier " + entry.supplierId()));
      }
      if (!seen.add(entry.supplierId())) {
        return Effect().reply(cmd.replyTo(), new RouteRefused("supplier " + entry.supplierId() + " is listed twice"));
      }
    }
    if (cmd.entries().equals(state.routes().getOrDefault(cmd.skuId(), List.of()))) {
      return Effect().reply(cmd.replyTo(), route(state, cmd.skuId()));
    }
    return Effect().persist(new RouteSet(cmd.skuId(), List.copyOf(cmd.entries()), cmd.actor(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> route(s, cmd.skuId()));
  }

  private static Route route(State state, String skuId) {
    List<RouteEntry> entries = state.routes().getOrDefault(skuId, List.of());
    return new Route(skuId, entries, entries.stream().map(e -> state.suppliers().get(e.supplierId())).toList());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(SupplierRegistered.class, (state, e) -> {
          Map<String, Supplier> suppliers = new HashMap<>(state.suppliers());
          suppliers.put(e.definition().supplierId(), new Supplier(e.definition(), e.credentials(), e.at()));
          return new State(Map.copyOf(suppliers), state.routes());
        })
        .onEvent(RouteSet.class, (state, e) -> {
          Map<String, List<RouteEntry>> routes = new HashMap<>(state.routes());
          routes.put(e.skuId(), e.entries());
          return new State(state.suppliers(), Map.copyOf(routes));
        })
        .build();
  }
}
