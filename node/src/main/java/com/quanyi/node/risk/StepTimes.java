package com.quanyi.node.risk;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long the risk step took, as a histogram of microseconds with ~3% resolution (64 exact
 * buckets below 64 µs, then 32 per power of two up to about a minute). Lock-free: every order
 * adds one count. Plain Java.
 */
final class StepTimes {

  private static final int EXACT = 64;
  private static final int PER_OCTAVE = 32;
  private static final int MAX_EXPONENT = 26;

  private final AtomicLongArray counts = new AtomicLongArray(EXACT + (MAX_EXPONENT - 5) * PER_OCTAVE);

  /** Percentiles in microseconds of what was recorded. */
  record Summary(long count, long p50, long p99, long p999, long max) {}

  void record(long nanos) {
    counts.incrementAndGet(index(Math.max(0, nanos / 1000)));
  }

  void reset() {
    for (int i = 0; i < counts.length(); i++) {
      counts.set(i, 0);
    }
  }

  Summary summary() {
    long[] snapshot = new long[counts.length()];
    long total = 0;
    for (int i = 0; i < snapshot.length; i++) {
      snapshot[i] = counts.get(i);
      total += snapshot[i];
    }
    long max = 0;
    for (int i = snapshot.length - 1; i >= 0; i--) {
      if (snapshot[i] > 0) {
        max = upperBound(i);
        break;
      }
    }
    return new Summary(total, percentile(snapshot, total, 0.50), percentile(snapshot, total, 0.99),
        percentile(snapshot, total, 0.999), max);
  }

  static int index(long micros) {
    if (micros < EXACT) {
      return (int) micros;
    }
    int exponent = Math.min(MAX_EXPONENT, 63 - Long.numberOfLeadingZeros(micros));
    int sub = (int) ((micros >> (exponent - 5)) & (PER_OCTAVE - 1));
    if (exponent == MAX_EXPONENT && 63 - Long.numberOfLeadingZeros(micros) > MAX_EXPONENT) {
      sub = PER_OCTAVE - 1;
    }
    return EXACT + (exponent - 6) * PER_OCTAVE + sub;
  }

  /** The largest value a bucket holds: percentiles never understate. */
  static long upperBound(int index) {
    if (index < EXACT) {
      return index;
    }
    int exponent = (index - EXACT) / PER_OCTAVE + 6;
    long sub = (index - EXACT) % PER_OCTAVE;
    long step = 1L << (exponent - 5);
    return (PER_OCTAVE + sub) * step + step - 1;
  }

  private static long percentile(long[] counts, long total, double q) {
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upperBound(i);
      }
    }
    return upperBound(counts.length - 1);
  }
}
