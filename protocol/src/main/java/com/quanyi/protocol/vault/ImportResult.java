package com.quanyi.protocol.vault;

import java.util.List;

/**
 * The answer to a code import: how many codes were accepted into the new batch, how many were
 * already in the vault (or repeated in the file), and which lines were refused and why. The
 * {@code invalid} list is capped; {@code invalidCount} counts them all.
 */
public record ImportResult(String batchId, long accepted, long duplicates, List<InvalidLine> invalid, long invalidCount) {

  /** A refused line; the reason never quotes the line (it may be a code). */
  public record InvalidLine(long line, String reason) {}
}
