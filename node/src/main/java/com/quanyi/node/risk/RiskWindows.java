package com.quanyi.node.risk;

import com.quanyi.protocol.risk.RiskProfileProtocol.BucketSeries;
import com.quanyi.protocol.risk.RiskProfileProtocol.DistinctSeen;
import com.quanyi.protocol.risk.RiskProfileProtocol.ProfileWindows;
import com.quanyi.protocol.risk.RiskProfileProtocol.WindowCount;
import com.quanyi.protocol.risk.RiskRule;
import com.quanyi.protocol.risk.RiskRule.Measure;
import com.quanyi.protocol.risk.RiskRule.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sliding windows of one risk profile, in bounded memory whatever the traffic. Counts (orders,
 * units, amount) sit in ring buffers of buckets: a minute is 12 buckets of 5 s, an hour 60 of one
 * minute, a day 24 of one hour; a window sums its whole buckets, so an order leaves the minute
 * window 55-60 s after it was counted (the hour 59-60 min, the day 23-24 h). Distinct buyers, IPs
 * and devices are kept with when each was last seen, at most {@link #MAX_TRACKED} per kind (the
 * longest unseen goes first), which is why rule limits on them stay below {@link RiskRule#MAX_DISTINCT}.
 *
 * <p>Plain Java, mutable, used by one actor only.
 */
final class RiskWindows {

  static final int MAX_TRACKED = RiskRule.MAX_DISTINCT + 24;

  enum Distinct { BUYERS, IPS, DEVICES }

  private final Map<Window, Series> series = new EnumMap<>(Window.class);
  private final Map<Distinct, LinkedHashMap<String, Long>> distinct = new EnumMap<>(Distinct.class);

  RiskWindows() {
    series.put(Window.MINUTE, new Series(12, 5_000));
    series.put(Window.HOUR, new Series(60, 60_000));
    series.put(Window.DAY, new Series(24, 3_600_000));
    for (Distinct kind : Distinct.values()) {
      distinct.put(kind, new LinkedHashMap<>());
    }
  }

  /** Counts one order; null values are not counted as distinct. */
  void add(Instant at, int units, long amount, String buyer, String ip, String device) {
    long millis = at.toEpochMilli();
    series.values().forEach(s -> s.add(millis, units, amount));
    see(Distinct.BUYERS, buyer, millis);
    see(Distinct.IPS, ip, millis);
    see(Distinct.DEVICES, device, millis);
  }

  long measure(Measure measure, Window window, Instant now) {
    long millis = now.toEpochMilli();
    switch (measure) {
      case ORDERS: return series.get(window).sum(millis, 0);
      case UNITS: return series.get(window).sum(millis, 1);
      case AMOUNT: return series.get(window).sum(millis, 2);
      case DISTINCT_BUYERS: return distinct(Distinct.BUYERS, window, now);
      case DISTINCT_IPS: return distinct(Distinct.IPS, window, now);
      default: return distinct(Distinct.DEVICES, window, now);
    }
  }

  int distinct(Distinct kind, Window window, Instant now) {
    long cutoff = now.toEpochMilli() - window.length().toMillis();
    int count = 0;
    for (long seen : distinct.get(kind).values()) {
      if (seen > cutoff) {
        count++;
      }
    }
    return count;
  }

  boolean seenWithin(Distinct kind, String value, Window window, Instant now) {
    Long seen = value == null ? null : distinct.get(kind).get(value);
    return seen != null && seen > now.toEpochMilli() - window.length().toMillis();
  }

  boolean isEmpty() {
    return series.get(Window.DAY).isEmpty();
  }

  List<WindowCount> counts(Instant now) {
    List<WindowCount> counts = new ArrayList<>();
    for (Window window : Window.values()) {
      long millis = now.toEpochMilli();
      Series s = series.get(window);
      counts.add(new WindowCount(window.name(), s.sum(millis, 0), s.sum(millis, 1), s.sum(millis, 2),
          distinct(Distinct.BUYERS, window, now), distinct(Distinct.IPS, window, now),
          distinct(Distinct.DEVICES, window, now)));
    }
    return counts;
  }

  private void see(Distinct kind, String value, long millis) {
    if (value == null) {
      return;
    }
    LinkedHashMap<String, Long> seen = distinct.get(kind);
    // Re-inserting keeps the map ordered by last sighting, so the head is always the one to drop.
    seen.remove(value);
    seen.put(value, millis);
    long dayAgo = millis - Window.DAY.length().toMillis();
    Iterator<Map.Entry<String, Long>> oldestFirst = seen.entrySet().iterator();
    while (oldestFirst.hasNext()) {
      Map.Entry<String, Long> oldest = oldestFirst.next();
      if (seen.size() > MAX_TRACKED || oldest.getValue() <= dayAgo) {
        oldestFirst.remove();
      } else {
        break;
      }
    }
  }

  // ---- saving and restoring

  ProfileWindows save() {
    List<BucketSeries> saved = new ArrayList<>();
    series.forEach((window, s) -> saved.add(new BucketSeries(window.name(), s.index.clone(), s.values[0].clone(),
        s.values[1].clone(), s.values[2].clone())));
    List<DistinctSeen> seen = new ArrayList<>();
    distinct.forEach((kind, values) -> seen.add(new DistinctSeen(kind.name(), List.copyOf(values.keySet()),
        values.values().stream().mapToLong(Long::longValue).toArray())));
    return new ProfileWindows(saved, seen);
  }

  static RiskWindows restore(ProfileWindows saved) {
    RiskWindows windows = new RiskWindows();
    if (saved == null) {
      return windows;
    }
    for (BucketSeries s : saved.series()) {
      Series target = windows.series.get(Window.valueOf(s.window()));
      if (target != null && s.index().length == target.index.length) {
        System.arraycopy(s.index(), 0, target.index, 0, s.index().length);
        System.arraycopy(s.orders(), 0, target.values[0], 0, s.orders().length);
        System.arraycopy(s.units(), 0, target.values[1], 0, s.units().length);
        System.arraycopy(s.amount(), 0, target.values[2], 0, s.amount().length);
      }
    }
    for (DistinctSeen d : saved.distinct()) {
      LinkedHashMap<String, Long> target = windows.distinct.get(Distinct.valueOf(d.kind()));
      for (int i = 0; i < d.values().size() && i < MAX_TRACKED; i++) {
        target.put(d.values().get(i), d.lastSeen()[i]);
      }
    }
    return windows;
  }

  /** A ring of {@code index.length} buckets of {@code bucketMillis}: orders, units, amount per bucket. */
  private static final class Series {
    final long bucketMillis;
    final long[] index;
    final long[][] values;

    Series(int buckets, long bucketMillis) {
      this.bucketMillis = bucketMillis;
      this.index = new long[buckets];
      Arrays.fill(index, -1);
      this.values = new long[3][buckets];
    }

    void add(long millis, int units, long amount) {
      long bucket = millis / bucketMillis;
      int slot = (int) (bucket % index.length);
      if (index[slot] != bucket) {
        index[slot] = bucket;
        values[0][slot] = 0;
        values[1][slot] = 0;
        values[2][slot] = 0;
      }
      values[0][slot]++;
      values[1][slot] += units;
      values[2][slot] += amount;
    }

    long sum(long millis, int which) {
      long newest = millis / bucketMillis;
      long oldest = newest - index.length + 1;
      long sum = 0;
      for (int slot = 0; slot < index.length; slot++) {
        if (index[slot] >= oldest && index[slot] <= newest) {
          sum += values[which][slot];
        }
      }
      return sum;
    }

    boolean isEmpty() {
      for (long i : index) {
        if (i >= 0) {
          return false;
        }
      }
      return true;
    }
  }
}
