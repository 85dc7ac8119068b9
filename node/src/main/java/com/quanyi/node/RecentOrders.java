package com.quanyi.node;

import com.quanyi.protocol.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order numbers an entity (a channel's account, a SKU's inventory) saw within {@code kept} (a
 * day at least), as 64-bit hashes in hourly buckets: what answers "was this number used?" for a
 * repeat that the entity's full record (the hold window, minutes) has forgotten, with no read. A
 * hash shared by two numbers only sends the new one the slow way (to its order entity, which finds
 * nothing and places it). Memory: about 70 bytes an order number (a million a day: ≈ 70 MB); the
 * snapshot carries the hashes, 9 bytes each.
 */
public final class RecentOrders {

  /** How long order numbers are kept by default: the 24 hours API.md promises a repeat its order. */
  public static final Duration A_DAY = Duration.ofHours(24);

  /** One hour's hashes, for the snapshot. */
  public record Hour(long hour, long[] hashes) implements CborSerializable {
    @Override
    public boolean equals(Object other) {
      return other instanceof Hour h && h.hour == hour && Arrays.equals(h.hashes, hashes);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(hour) * 31 + Arrays.hashCode(hashes);
    }
  }

  private static final class Bucket {
    final long hour;
    long[] hashes = new long[16];
    int size;

    Bucket(long hour) {
      this.hour = hour;
    }

    void add(long hash) {
      if (size == hashes.length) {
        hashes = Arrays.copyOf(hashes, size * 2);
      }
      hashes[size++] = hash;
    }
  }

  private final Duration kept;
  private final ArrayDeque<Bucket> buckets = new ArrayDeque<>();
  /** How many buckets hold each hash (a number charged again after a refund is in two). */
  private final Map<Long, Integer> counts = new HashMap<>();

  public RecentOrders(Duration kept) {
    this.kept = kept;
  }

  public void add(String orderId, Instant at) {
    long hour = at.getEpochSecond() / 3600;
    Bucket last = buckets.peekLast();
    if (last == null || last.hour < hour) {
      last = new Bucket(hour);
      buckets.addLast(last);
    }
    long hash = hash(orderId);
    last.add(hash);
    counts.merge(hash, 1, Integer::sum);
    forgetBefore(at.minus(kept));
  }

  public boolean contains(String orderId) {
    return counts.containsKey(hash(orderId));
  }

  /** Drops whole hours older than the cutoff: a number is kept at least {@code kept}, at most an hour more. */
  private void forgetBefore(Instant cutoff) {
    long hour = cutoff.getEpochSecond() / 3600;
    while (!buckets.isEmpty() && buckets.peekFirst().hour < hour) {
      Bucket old = buckets.pollFirst();
      for (int i = 0; i < old.size; i++) {
        counts.computeIfPresent(old.hashes[i], (h, n) -> n > 1 ? n - 1 : null);
      }
    }
  }

  public List<Hour> snapshot() {
    List<Hour> hours = new ArrayList<>();
    buckets.forEach(b -> hours.add(new Hour(b.hour, Arrays.copyOf(b.hashes, b.size))));
    return hours;
  }

  public void restore(List<Hour> hours) {
    for (Hour hour : hours) {
      Bucket bucket = new Bucket(hour.hour());
      for (long hash : hour.hashes()) {
        bucket.add(hash);
        counts.merge(hash, 1, Integer::sum);
      }
      buckets.addLast(bucket);
    }
  }

  /** A 64-bit hash of the order id (FNV-1a, then a finalizer that spreads its bits). */
  public static long hash(String orderId) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < orderId.length(); i++) {
      h ^= orderId.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb93fe1a85ec9L;
    h ^= h >>> 33;
    return h;
  }
}
