package com.quanyi.node.projection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Small helpers the projection handlers share. */
final class ProjectionSupport {

  private ProjectionSupport() {}

  /** The entity id in a persistence id ("OrderProcess|ch~no" → "ch~no"). */
  static String entityId(String persistenceId) {
    return persistenceId.substring(persistenceId.indexOf('|') + 1);
  }

  static <T> CompletionStage<List<T>> sequence(List<CompletionStage<T>> stages) {
    CompletionStage<List<T>> all = CompletableFuture.completedFuture(new ArrayList<>());
    for (CompletionStage<T> stage : stages) {
      all = all.thenCombine(stage, (list, item) -> {
        list.add(item);
        return list;
      });
    }
    return all;
  }
}
