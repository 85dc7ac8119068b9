package com.quanyi.node.inventory;

import com.quanyi.protocol.inventory.ExpiryRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;

/**
 * Which positions of one batch expire, and what expiry took out of its stock. A batch hands out
 * positions from a cursor (and positions given back); an expired run ahead of the cursor becomes a
 * dead range the cursor jumps over, an expired position given back is not free again. Small: a run
 * per stretch of codes sharing an expiry, not a position per code.
 */
final class BatchExpiry {

  /** Runs not expired yet, earliest first. */
  private final List<ExpiryRun> pending = new ArrayList<>();
  /** Expired runs by first position: a position given back after its run expired stays out. */
  private final TreeMap<Long, ExpiryRun> expired = new TreeMap<>();
  /** Expired positions at or past the cursor, never handed out: first position → end (exclusive). */
  private final TreeMap<Long, Long> deadAhead = new TreeMap<>();
  private long deadAheadCount;
  /** Expired positions the cursor has jumped over. */
  private long deadBehind;
  /** Positions given back and then expired (or expired and then given back). */
  private long expiredFree;

  BatchExpiry(List<ExpiryRun> runs) {
    if (runs != null) {
      pending.addAll(runs);
      pending.sort(Comparator.comparing(ExpiryRun::expiresAt));
    }
  }

  /** Runs whose expiry is at or before {@code cutoff}, earliest first. */
  List<ExpiryRun> due(Instant cutoff) {
    List<ExpiryRun> due = new ArrayList<>();
    for (ExpiryRun run : pending) {
      if (run.expiresAt().isAfter(cutoff)) {
        break;
      }
      due.add(run);
    }
    return due;
  }

  /** Positions of a pending run not handed out now: given back, or at or past the cursor. */
  static long unsold(ExpiryRun run, long cursor, NavigableSet<Long> free) {
    long fresh = Math.max(0, run.to() - Math.max(run.from(), cursor));
    return fresh + free.subSet(run.from(), true, run.to(), false).size();
  }

  /**
   * The run's codes expired: its free positions leave {@code free}, its positions past the cursor
   * become dead. Answers the cursor, moved past a dead range that now starts at it.
   */
  long expire(ExpiryRun run, long cursor, NavigableSet<Long> free) {
    if (!pending.remove(run)) {
      return cursor;
    }
    expired.put(run.from(), run);
    NavigableSet<Long> given = free.subSet(run.from(), true, run.to(), false);
    expiredFree += given.size();
    given.clear();
    long start = Math.max(run.from(), cursor);
    if (run.to() > start) {
      deadAhead.put(start, run.to());
      deadAheadCount += run.to() - start;
    }
    return skipped(cursor);
  }

  /** The cursor past any dead range starting where it stands (the next position that can be handed out). */
  long skipped(long cursor) {
    Long end = deadAhead.remove(cursor);
    while (end != null) {
      deadAheadCount -= end - cursor;
      deadBehind += end - cursor;
      cursor = end;
      end = deadAhead.remove(cursor);
    }
    return cursor;
  }

  /** The first dead position at or after {@code position}, or -1. */
  long nextDeadFrom(long position) {
    Long start = deadAhead.ceilingKey(position);
    return start == null ? -1 : start;
  }

  /** The end of the dead range starting at {@code start}. */
  long deadEnd(long start) {
    return deadAhead.get(start);
  }

  /** Whether the code at {@code position} has expired (then it never returns to stock). */
  boolean isExpired(long position) {
    Map.Entry<Long, ExpiryRun> run = expired.floorEntry(position);
    return run != null && position < run.getValue().to();
  }

  /** A position given back after its code expired: gone, not free. */
  void givenBackExpired() {
    expiredFree++;
  }

  long deadAhead() {
    return deadAheadCount;
  }

  /** Positions below the cursor that are not handed out because they expired. */
  long gone() {
    return deadBehind + expiredFree;
  }

  long count() {
    return deadAheadCount + deadBehind + expiredFree;
  }

  List<ExpiryRun> pendingRuns() {
    return List.copyOf(pending);
  }

  List<ExpiryRun> expiredRuns() {
    return List.copyOf(expired.values());
  }

  long deadBehind() {
    return deadBehind;
  }

  long expiredFree() {
    return expiredFree;
  }

  /** Restores the bookkeeping from a snapshot; dead ranges follow from the expired runs and the cursor. */
  static BatchExpiry restored(List<ExpiryRun> pending, List<ExpiryRun> expiredRuns, long deadBehind, long expiredFree,
      long cursor) {
    BatchExpiry expiry = new BatchExpiry(pending);
    for (ExpiryRun run : expiredRuns) {
      expiry.expired.put(run.from(), run);
      long start = Math.max(run.from(), cursor);
      if (run.to() > start) {
        expiry.deadAhead.put(start, run.to());
        expiry.deadAheadCount += run.to() - start;
      }
    }
    expiry.deadBehind = deadBehind;
    expiry.expiredFree = expiredFree;
    return expiry;
  }
}
