package com.quanyi.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Where the continuations of an entity's reply run. Pekko's Java {@code ask} answers with Scala's
 * converted future, which turns every {@code thenApply}/{@code thenCompose} into its {@code *Async}
 * form on {@code ForkJoinPool.commonPool()}; on two cores that pool has parallelism 1, so
 * {@code CompletableFuture} starts a new thread for each stage. A reply taken through {@link #on}
 * is a plain {@code CompletableFuture} completed on the given Pekko dispatcher, so the stages that
 * follow run there, and no thread is started per request.
 */
public final class Replies {

  private Replies() {}

  /** The system's default dispatcher, for {@link #on}. */
  public static Executor dispatcher(ActorSystem<?> system) {
    return system.executionContext();
  }

  public static <T> CompletableFuture<T> on(Executor dispatcher, CompletionStage<T> reply) {
    CompletableFuture<T> plain = new CompletableFuture<>();
    reply.whenCompleteAsync((value, failure) -> {
      if (failure != null) {
        plain.completeExceptionally(failure);
      } else {
        plain.complete(value);
      }
    }, dispatcher);
    return plain;
  }
}
