package com.quanyi.persistence.reporting;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Asynchronous helpers the reporting reads and projections share. */
public final class Stages {

  private Stages() {}

  /** All the stages' results, in their order, once all have completed. */
  public static <T> CompletionStage<List<T>> sequence(List<CompletionStage<T>> stages) {
    CompletionStage<List<T>> all = CompletableFuture.completedFuture(new ArrayList<>());
    for (CompletionStage<T> stage : stages) {
      all = all.thenCombine(stage, (list, item) -> {
        list.add(item);
        return list;
      });
    }
    return all;
  }

  /** Every row of a query, page after page (for reads bounded by nature: one day, one SKU's batches). */
  static <T> CompletionStage<List<T>> allRows(CompletionStage<AsyncResultSet> stage, List<T> into,
      Function<Row, T> map) {
    return stage.thenCompose(rs -> {
      for (Row row : rs.currentPage()) {
        into.add(map.apply(row));
      }
      return rs.hasMorePages() ? allRows(rs.fetchNextPage(), into, map) : CompletableFuture.completedFuture(into);
    });
  }
}
