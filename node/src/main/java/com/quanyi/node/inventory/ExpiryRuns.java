package com.quanyi.node.inventory;

import com.quanyi.protocol.inventory.ExpiryRun;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What a batch's expiry runs may be: inside the batch, not overlapping, and few enough to keep in memory. */
public final class ExpiryRuns {

  /** Most runs one batch may have; an importer merges beyond it (see {@code BatchExpiries}). */
  public static final int MAX_RUNS = 2_000;

  private ExpiryRuns() {}

  static Optional<String> refusal(List<ExpiryRun> runs, long units) {
    if (runs == null || runs.isEmpty()) {
      return Optional.empty();
    }
    if (runs.size() > MAX_RUNS) {
      return Optional.of("a batch has at most " + MAX_RUNS + " expiry runs");
    }
    List<ExpiryRun> byPosition = runs.stream().sorted(Comparator.comparingLong(ExpiryRun::from)).toList();
    long end = 0;
    for (ExpiryRun run : byPosition) {
      if (run.from() < end) {
        return Optional.of("expiry runs overlap at position " + run.from());
      }
      if (run.to() > units) {
        return Optional.of("an expiry run ends past the batch's " + units + " codes");
      }
      end = run.to();
    }
    return Optional.empty();
  }
}
