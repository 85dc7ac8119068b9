package com.quanyi.node.vault;

import com.quanyi.node.inventory.ExpiryRuns;
import com.quanyi.protocol.inventory.ExpiryRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The expiry runs of a batch being imported, built as positions are given out in file order:
 * consecutive codes sharing an {@code expiresAt} make one run. Codes are usually listed with one
 * expiry or sorted by it, so a batch has a few runs. Past {@link ExpiryRuns#MAX_RUNS} the newest
 * run is merged into the one before it, over the codes between, at the earlier expiry: a code may
 * then leave stock before its own expiry, never after it.
 */
final class BatchExpiries {

  private final List<ExpiryRun> runs = new ArrayList<>();
  private long merged;

  /** The code at {@code position} (the next after the last one given) expires at {@code expiresAt} (null: never). */
  void add(long position, Instant expiresAt) {
    if (expiresAt == null) {
      return;
    }
    ExpiryRun last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
    if (last != null && last.to() == position && last.expiresAt().equals(expiresAt)) {
      runs.set(runs.size() - 1, new ExpiryRun(last.from(), last.count() + 1, expiresAt));
      return;
    }
    if (runs.size() < ExpiryRuns.MAX_RUNS) {
      runs.add(new ExpiryRun(position, 1, expiresAt));
      return;
    }
    merged++;
    Instant earlier = expiresAt.isBefore(last.expiresAt()) ? expiresAt : last.expiresAt();
    runs.set(runs.size() - 1, new ExpiryRun(last.from(), position + 1 - last.from(), earlier));
  }

  List<ExpiryRun> runs() {
    return List.copyOf(runs);
  }

  /** Codes whose run was merged into another's (their stock may end earlier than their expiry). */
  long merged() {
    return merged;
  }
}
