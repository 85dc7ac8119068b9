package com.quanyi.node.groupcommit;

import com.quanyi.node.metrics.GroupMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Group commit in front of a persistent entity. A persistent actor handles one command per
 * journal write and stashes the rest; this front gathers the requests of one kind that arrive
 * while a group is being decided and written, and hands them over as the next group, which the
 * entity decides together and persists as one event. Everything else passes straight through.
 * The front holds no state of the entity: it never answers a request itself except to shed load.
 *
 * @param <C> the entity's command type
 * @param <R> the kind of request that is grouped
 */
public final class GroupCommit<C, R extends C> extends AbstractBehavior<C> {

  /**
   * @param requestType the requests to group
   * @param doneType what the entity sends the front when a group is decided (and written)
   * @param toGroup the command that carries a group to the entity
   * @param overloaded answers a request that finds {@code maxWaiting} others waiting
   * @param meter where group sizes, waiting requests and shed ones are counted
   */
  public record Spec<C, R extends C>(Class<R> requestType, Class<? extends C> doneType,
      Function<List<R>, C> toGroup, Consumer<R> overloaded, int maxWaiting, int maxGroupSize, GroupMeter meter) {}

  private final ActorRef<C> entity;
  private final Spec<C, R> spec;
  private List<R> waiting = new ArrayList<>();
  private boolean groupInFlight;

  /** @param entity creates the persistent entity, given the front it reports to */
  public static <C, R extends C> Behavior<C> create(Function<ActorRef<C>, Behavior<C>> entity, Spec<C, R> spec) {
    return Behaviors.setup(ctx -> new GroupCommit<>(ctx, entity, spec));
  }

  private GroupCommit(ActorContext<C> ctx, Function<ActorRef<C>, Behavior<C>> entity, Spec<C, R> spec) {
    super(ctx);
    this.spec = spec;
    this.entity = ctx.spawn(entity.apply(ctx.getSelf()), "entity");
    ctx.watch(this.entity);
  }

  @Override
  public Receive<C> createReceive() {
    return newReceiveBuilder()
        .onMessage(spec.requestType(), this::onRequest)
        .onMessage(spec.doneType(), done -> onGroupDone())
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .onAnyMessage(this::forward)
        .build();
  }

  private Behavior<C> onRequest(R request) {
    if (!groupInFlight) {
      entity.tell(spec.toGroup().apply(List.of(request)));
      spec.meter().handedOver(1, 0);
      groupInFlight = true;
    } else if (waiting.size() >= spec.maxWaiting()) {
      spec.meter().shed();
      spec.overloaded().accept(request);
    } else {
      waiting.add(request);
    }
    return this;
  }

  private Behavior<C> onGroupDone() {
    if (waiting.isEmpty()) {
      groupInFlight = false;
      return this;
    }
    List<R> group;
    if (waiting.size() <= spec.maxGroupSize()) {
      group = waiting;
      waiting = new ArrayList<>();
    } else {
      group = new ArrayList<>(waiting.subList(0, spec.maxGroupSize()));
      waiting = new ArrayList<>(waiting.subList(spec.maxGroupSize(), waiting.size()));
    }
    entity.tell(spec.toGroup().apply(group));
    spec.meter().handedOver(group.size(), waiting.size());
    return this;
  }

  private Behavior<C> forward(C command) {
    entity.tell(command);
    return this;
  }
}
