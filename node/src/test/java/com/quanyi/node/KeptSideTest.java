package com.quanyi.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.Member$;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.util.Version;
import org.junit.jupiter.api.Test;

class KeptSideTest {

  private final List<Member> up = IntStream.rangeClosed(1, 4).mapToObj(port -> member(port, MemberStatus.up())).toList();

  @Test
  void twoOfThreeAreKeptAndTheOneAloneIsNot() {
    List<Member> three = up.subList(0, 3);
    assertTrue(KeptSide.includes(self(2), three, Set.of(three.get(0))), "a survivor of a dead member");
    assertFalse(KeptSide.includes(self(1), three, Set.of(three.get(1), three.get(2))), "the member cut off");
    assertTrue(KeptSide.includes(self(1), three, Set.of()), "all reachable");
  }

  @Test
  void equalHalvesKeepTheSideWithTheLowestAddress() {
    assertTrue(KeptSide.includes(self(1), up, Set.of(up.get(2), up.get(3))));
    assertFalse(KeptSide.includes(self(3), up, Set.of(up.get(0), up.get(1))));
    List<Member> two = up.subList(0, 2);
    assertTrue(KeptSide.includes(self(1), two, Set.of(two.get(1))), "of two, the lowest alone is kept");
    assertFalse(KeptSide.includes(self(2), two, Set.of(two.get(0))));
  }

  @Test
  void membersDownedOrNotYetUpDoNotCount() {
    List<Member> members = Arrays.asList(up.get(0), up.get(1).copy(MemberStatus.down()), up.get(2),
        member(4, MemberStatus.joining()));
    assertTrue(KeptSide.includes(self(3), members, Set.of(members.get(1), members.get(3))),
        "one downed and one joining member unreachable: the two up members reach each other");
    assertTrue(KeptSide.includes(members.get(3), members, Set.of(members.get(0), members.get(1), members.get(2))),
        "a joining member hosts nothing to guard");
  }

  @Test
  void aNodeDownedOrExitingIsNeverKept() {
    List<Member> three = up.subList(0, 3);
    assertFalse(KeptSide.includes(three.get(0).copy(MemberStatus.down()), three, Set.of()));
    assertFalse(KeptSide.includes(three.get(0).copy(MemberStatus.leaving()).copy(MemberStatus.exiting()), three,
        Set.of()));
  }

  @Test
  void aLeavingMemberStillCounts() {
    List<Member> members = List.of(up.get(0).copy(MemberStatus.leaving()), up.get(1), up.get(2));
    assertFalse(KeptSide.includes(self(3), members, Set.of(members.get(0), members.get(1))));
    assertTrue(KeptSide.includes(members.get(0), members, Set.of(members.get(2))));
  }

  @Test
  void aSingleNodeIsAlwaysKept() {
    assertTrue(KeptSide.includes(self(1), up.subList(0, 1), Set.of()));
  }

  private Member self(int port) {
    return up.get(port - 1);
  }

  private static UniqueAddress address(int port) {
    return new UniqueAddress(new Address("pekko", "quanyi", "127.0.0.1", port), port);
  }

  private static Member member(int port, MemberStatus status) {
    // Member.apply is Pekko-internal; the cluster state hands these out, a test has to make them.
    Member joining = Member$.MODULE$.apply(address(port), scala.collection.immutable.Set$.MODULE$.<String>empty(), Version.Zero());
    return status.equals(MemberStatus.joining()) ? joining : joining.copy(status);
  }
}
