package com.quanyi.node;

import com.quanyi.persistence.cluster.ClusterMemberStore;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster per journal. Two clusters on one journal each start their own incarnation of every
 * entity (a SKU's codes allocated by both); it happened when a seed node restarted alone joined
 * itself beside the running cluster (docs/reliability.md). So every member notes its address in
 * Cassandra every second, and a node, once Up and before it starts any entity, reads the notes:
 * an address that is not one of its own cluster's members and whose note still changes belongs to
 * another cluster, and the node refuses to start, saying so. Notes of members that stopped (killed:
 * left to expire after {@link #NOTE_LIVES}) do not change and are let be.
 */
public final class OneCluster {

  private static final Logger log = LoggerFactory.getLogger(OneCluster.class);
  static final Duration NOTE_EVERY = Duration.ofSeconds(1);
  static final Duration NOTE_LIVES = Duration.ofSeconds(5);
  /** Long enough for a running member to note itself twice. */
  static final Duration WATCH_FOR = Duration.ofMillis(2500);

  private final ActorSystem<?> system;
  private final Cluster cluster;
  private final ClusterMemberStore notes;
  private final String self;

  private OneCluster(ActorSystem<?> system, ClusterMemberStore notes) {
    this.system = system;
    this.cluster = Cluster.get(Adapter.toClassic(system));
    this.notes = notes;
    this.self = cluster.selfAddress().toString();
  }

  /**
   * Completes once this node is Up in the only cluster running on this journal, and from then on
   * notes it as a member; fails, stopping nothing itself, if another cluster runs.
   */
  public static CompletionStage<Void> joined(ActorSystem<?> system, ClusterMemberStore notes) {
    return new OneCluster(system, notes).check();
  }

  private CompletionStage<Void> check() {
    CompletableFuture<Void> up = new CompletableFuture<>();
    cluster.registerOnMemberUp(() -> up.complete(null));
    return up.thenCompose(isUp -> notes.all())
        .thenCompose(first -> others(first).isEmpty() ? CompletableFuture.completedFuture(Set.<String>of())
            : after(WATCH_FOR).thenCompose(waited -> notes.all()).thenApply(second -> stillNoting(first, second)))
        .thenApply(running -> {
          if (!running.isEmpty()) {
            throw new IllegalStateException("another cluster runs on this journal: " + running + " note themselves as "
                + "members, but this node's cluster is " + members() + ". This node formed a cluster of its own (a "
                + "seed node restarted alone, or started with seed nodes that do not run); start it with running "
                + "members as its seed nodes (QUANYI_SEED_NODES)");
          }
          startNoting();
          return null;
        });
  }

  /** Noted addresses that are neither this node nor a member of its cluster. */
  private Set<String> others(Map<String, Long> noted) {
    Set<String> members = members();
    return noted.keySet().stream().filter(a -> !a.equals(self) && !members.contains(a)).collect(Collectors.toSet());
  }

  private Set<String> stillNoting(Map<String, Long> first, Map<String, Long> second) {
    return others(second).stream().filter(a -> !second.get(a).equals(first.get(a))).collect(Collectors.toSet());
  }

  private Set<String> members() {
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .map(Member::address).map(Object::toString).collect(Collectors.toSet());
  }

  private CompletionStage<Void> after(Duration delay) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    system.scheduler().scheduleOnce(delay, () -> done.complete(null), system.executionContext());
    return done;
  }

  private void startNoting() {
    AtomicLong count = new AtomicLong();
    var noting = system.scheduler().scheduleAtFixedRate(Duration.ZERO, NOTE_EVERY, () -> {
      MemberStatus status = cluster.selfMember().status();
      if (status == MemberStatus.up() || status == MemberStatus.weaklyUp()) {
        notes.note(self, count.incrementAndGet()).whenComplete((done, failure) -> {
          if (failure != null) {
            log.debug("Could not note this member ({})", failure.getClass().getSimpleName());
          }
        });
      }
    }, system.executionContext());
    CoordinatedShutdown.get(Adapter.toClassic(system)).addTask(CoordinatedShutdown.PhaseClusterExiting(),
        "quanyi-member-note", () -> {
          noting.cancel();
          return notes.remove(self).handle((done, failure) -> Done.getInstance());
        });
  }
}
