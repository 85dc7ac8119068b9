package com.quanyi.node.dashboard;

import com.quanyi.http.console.LiveService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

/** The dashboard's live view from this node: the members as it sees them, and the cluster's order answers. */
public final class LiveDesk implements LiveService {

  private final Cluster cluster;
  private final ClusterOrderAnswers answers;
  private final Clock clock;

  public LiveDesk(ActorSystem<?> system, ClusterOrderAnswers answers, Clock clock) {
    this.cluster = Cluster.get(system);
    this.answers = answers;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Live> live() {
    CurrentClusterState state = cluster.state();
    Set<Member> unreachable = state.getUnreachable();
    String self = cluster.selfMember().address().toString();
    List<ClusterMember> members = new ArrayList<>();
    state.getMembers().forEach(member -> members.add(new ClusterMember(member.address().toString(),
        member.status().toString(), !unreachable.contains(member), member.address().toString().equals(self))));
    return answers.totals().thenApply(totals -> new Live(clock.instant(), self, members, totals));
  }
}
