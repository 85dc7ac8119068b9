package com.quanyi.protocol.risk;

import com.quanyi.protocol.CborSerializable;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of a risk profile: one sharded persistent actor per subject (a buyer of a channel,
 * an IP address, a device). Its sliding windows of counts live in memory; blocks and when a buyer
 * was first seen are events. The behavior is {@code node/…/risk/RiskProfile}.
 */
public final class RiskProfileProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "RiskProfile");

  private RiskProfileProtocol() {}

  /** The entity id of a subject: {@code buyer:channelId/userId}, {@code ip:address}, {@code device:id}. */
  public static String buyerSubject(String channelId, String userId) {
    return "buyer:" + channelId + "/" + userId;
  }

  public static String ipSubject(String ip) {
    return "ip:" + ip;
  }

  public static String deviceSubject(String deviceId) {
    return "device:" + deviceId;
  }

  /** One order as risk control sees it; {@code amount} in the channel's minor units. */
  public record OrderFacts(String orderId, String channelId, String buyer, String ip, String deviceId, int units,
      long amount, Instant at) implements CborSerializable {}

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** What only the entity sends itself; declared beside its behavior in node, never sent by another party. */
  public non-sealed interface Internal extends Command {}

  /**
   * Judges one order by {@code rules} (those of this subject kind that watch the order) and counts
   * it unless this profile rejects it. {@code exempt}: the subject is on the allow list; count only.
   */
  public record Assess(OrderFacts order, List<RiskRule> rules, boolean exempt, long ruleVersion,
      ActorRef<ProfileVerdict> replyTo) implements Command {

    /** An assessment waiting for whom to answer. */
    public record Builder(OrderFacts order, List<RiskRule> rules, boolean exempt, long ruleVersion) {
      public Assess replyTo(ActorRef<ProfileVerdict> replyTo) {
        return new Assess(order, rules, exempt, ruleVersion, replyTo);
      }
    }
  }

  public record GetProfile(ActorRef<ProfileView> replyTo) implements Command {}

  /**
   * Sent when an order arrives, before its own entity has started: the profile recovers while the
   * order does, so the assessment that follows finds it ready. Does nothing else.
   */
  public record Wake() implements Command {}

  /** An operator lifts a block a rule put on this subject. */
  public record Unblock(String actor, ActorRef<ProfileView> replyTo) implements Command {}

  /** Sharding's stop message (after passivation, rebalance, shutdown): keep the windows, then stop. */
  public record Stop() implements Command {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record FirstSeen(Instant at) implements Event {}

  public record SubjectBlocked(Instant until, String ruleId, String reason, String orderId, Instant at) implements Event {}

  public record BlockLifted(String actor, Instant at) implements Event {}

  /** The windows as they stood when the profile went idle or stopped, to start from after recovery. */
  public record WindowsKept(ProfileWindows windows, Instant at) implements Event {}

  // ---- replies

  /** {@code hits}: what fired on this subject (empty: nothing); {@code counted}: the order joined the windows. */
  public record ProfileVerdict(String subject, List<RuleHit> hits, boolean counted) implements CborSerializable {}

  /** A subject as operators see it: block, first seen, counts per window, the latest hits. */
  public record ProfileView(String subject, Instant firstSeen, Instant blockedUntil, String blockReason,
      List<WindowCount> counts, List<RecentHit> recentHits) implements CborSerializable {}

  public record WindowCount(String window, long orders, long units, long amount, int distinctBuyers, int distinctIps,
      int distinctDevices) implements CborSerializable {}

  public record RecentHit(String orderId, RuleHit hit, Instant at) implements CborSerializable {}

  /**
   * Serialized windows: per window length, bucket start (epoch bucket index) and counts; per
   * distinct kind, each value with when it was last seen (epoch millis).
   */
  public record ProfileWindows(List<BucketSeries> series, List<DistinctSeen> distinct) implements CborSerializable {}

  public record BucketSeries(String window, long[] index, long[] orders, long[] units, long[] amount)
      implements CborSerializable {}

  public record DistinctSeen(String kind, List<String> values, long[] lastSeen) implements CborSerializable {}
}
