package com.quanyi.persistence.reporting;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.quanyi.protocol.reporting.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;

/** Asynchronous helpers the reporting reads and projections share. */
public final class Stages {

  private static final AtomicLong ROWS_READ = new AtomicLong();
  private static final AtomicLong ROWS_PASSED_ON = new AtomicLong();

  private Stages() {}

  /**
   * The rows of a paged read, a page at a time and only as the reader asks for them, until a page
   * says there is no next: what lets an export of any size hold about one page.
   */
  public static <T> Source<T, NotUsed> pages(Function<String, CompletionStage<Page<T>>> fetch) {
    return Source.unfoldAsync(Optional.of(""), (Optional<String> cursor) -> {
      if (cursor.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.<Pair<Optional<String>, List<T>>>empty());
      }
      String after = cursor.get().isEmpty() ? null : cursor.get();
      return fetch.apply(after).thenApply(page -> {
        ROWS_READ.addAndGet(page.rows().size());
        return Optional.of(Pair.create(Optional.ofNullable(page.next()), page.rows()));
      });
    }).mapConcat(rows -> rows).map(row -> {
      ROWS_PASSED_ON.incrementAndGet();
      return row;
    });
  }

  /**
   * Rows paged reads have read from Cassandra, and rows they have passed on to their reader (the
   * response stream), since start: the difference is what they hold.
   */
  public static long[] pagedRows() {
    return new long[] {ROWS_READ.get(), ROWS_PASSED_ON.get()};
  }

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
  public static <T> CompletionStage<List<T>> allRows(CompletionStage<AsyncResultSet> stage, List<T> into,
      Function<Row, T> map) {
    return stage.thenCompose(rs -> {
      for (Row row : rs.currentPage()) {
        into.add(map.apply(row));
      }
      return rs.hasMorePages() ? allRows(rs.fetchNextPage(), into, map) : CompletableFuture.completedFuture(into);
    });
  }
}
