package com.quanyi.node;

import java.util.List;
import java.util.Set;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;

/**
 * Whether this node, with the members it can reach, is the side the split-brain resolver's
 * keep-majority strategy keeps: more than half of the members, or exactly half including the one
 * with the lowest address. A node on the other side is about to be downed, and its shards are
 * started elsewhere once the resolver has decided and the removal margin has passed.
 *
 * <p>Both sides see the other unreachable within a heartbeat or two of each other, and the resolver
 * then waits {@code stable-after} before deciding; a node that stops writing as soon as it finds
 * itself on the lost side has therefore stopped well before its entities' new incarnations start,
 * which is what lets the removal margin be short (docs/reliability.md).
 */
final class KeptSide {

  private KeptSide() {}

  /**
   * @param self this node as the cluster sees it
   * @param members the cluster's members in address order (as the cluster state gives them)
   * @param unreachable the members this node cannot reach
   */
  static boolean includes(Member self, List<Member> members, Set<Member> unreachable) {
    MemberStatus status = self.status();
    if (status.equals(MemberStatus.down()) || status.equals(MemberStatus.exiting())
        || status.equals(MemberStatus.removed())) {
      // Downed, or leaving after its shards were handed over: whatever it still hosts runs elsewhere.
      return false;
    }
    if (!counts(self)) {
      // Not yet up: it hosts no shards to write for.
      return true;
    }
    List<Member> counted = members.stream().filter(KeptSide::counts).toList();
    long reachable = counted.stream().filter(member -> !unreachable.contains(member)).count();
    if (reachable * 2 != counted.size()) {
      return reachable * 2 > counted.size();
    }
    return !unreachable.contains(counted.get(0));
  }

  /** The members the resolver weighs (Pekko's {@code DowningStrategy.members}): up or leaving. */
  private static boolean counts(Member member) {
    MemberStatus status = member.status();
    return status.equals(MemberStatus.up()) || status.equals(MemberStatus.leaving());
  }
}
