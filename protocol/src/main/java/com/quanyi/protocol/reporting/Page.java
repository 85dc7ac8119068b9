package com.quanyi.protocol.reporting;

import java.util.List;

/** Rows of a paged read, and where the next page starts (null: no more). */
public record Page<T>(List<T> rows, String next) {}
