package com.quanyi.node.supplier;

import com.quanyi.node.metrics.SupplierMeter;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.supplier.TopupRequest;
import com.quanyi.protocol.supplier.TopupResult;
import com.quanyi.protocol.supplier.TopupResult.Failed;
import com.quanyi.protocol.supplier.TopupResult.NotReceived;
import com.quanyi.protocol.supplier.TopupResult.Processing;
import com.quanyi.protocol.supplier.TopupResult.Succeeded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Tops up one order through an ordered list of suppliers: the first one whose circuit is closed
 * and that has a free slot; on a definite failure (error answered as FAILED, out of stock, never
 * received) the next one. An ambiguous answer (timeout, 5xx) is queried until it is definite: the
 * next supplier is never asked while the previous one may still top up. What stays ambiguous is
 * {@link Undecided}, for an operator — never retried elsewhere.
 *
 * <p>Each supplier sees the same {@code supplierOrderId} for the same order
 * ({@code orderId@supplierId}), so submitting again after a crash cannot top up twice.
 */
public final class SupplierRouter {

  /** One supplier of the SKU's route, in priority order. */
  /** {@code unitCost}: what one unit costs at this supplier (its route entry). */
  public record Route(String supplierId, String productCode, Money unitCost, SupplierAdapter adapter,
      SupplierGuard guard) {}

  public sealed interface Outcome permits Delivered, AllFailed, Undecided {}

  /**
   * {@code doubtful}: suppliers passed over after an ambiguous answer that a query then found
   * "never received" — a request still on its way could top up there later, so they are asked
   * again after a while (a late success there is a double top-up for an operator).
   */
  public record Delivered(String supplierId, String supplierOrderId, String supplierReference, List<String> doubtful)
      implements Outcome {}

  /** Every supplier definitely did not top up; {@code reasons} one per supplier tried or skipped. */
  public record AllFailed(List<String> reasons, List<String> doubtful) implements Outcome {}

  /** The supplier may have topped up and did not say: manual review. */
  public record Undecided(String supplierId, String supplierOrderId, String why) implements Outcome {}

  /** Called before each submit; the order persists the attempt, so a restart knows where to look. */
  @FunctionalInterface
  public interface AttemptLog {
    CompletionStage<Void> beforeSubmit(String supplierId, String supplierOrderId);

    static AttemptLog none() {
      return (supplierId, supplierOrderId) -> CompletableFuture.completedFuture(null);
    }
  }

  /**
   * @param queryEvery the pause between queries of an ambiguous or processing top-up
   * @param resolveWithin how long an attempt may stay ambiguous or processing before it is Undecided
   */
  public record Settings(Duration queryEvery, Duration resolveWithin) {}

  private final Settings settings;

  public SupplierRouter(Settings settings) {
    this.settings = settings;
  }

  public static String supplierOrderId(String orderId, String supplierId) {
    return orderId + "@" + supplierId;
  }

  /**
   * @param resumeFrom the index of the route an earlier run was attempting when it stopped (its
   *     outcome unknown), or -1 for a fresh order: that supplier is asked first, whatever its
   *     circuit says, because it may have topped up
   */
  public CompletionStage<Outcome> topUp(String orderId, String account, Money faceValue, List<Route> routes,
      int resumeFrom, AttemptLog log) {
    return attempt(orderId, account, faceValue, routes, Math.max(resumeFrom, 0), resumeFrom >= 0, new ArrayList<>(),
        new ArrayList<>(), log);
  }

  private CompletionStage<Outcome> attempt(String orderId, String account, Money faceValue, List<Route> routes,
      int index, boolean mustResolve, List<String> reasons, List<String> doubtful, AttemptLog log) {
    if (index >= routes.size()) {
      return CompletableFuture.completedFuture(new AllFailed(List.copyOf(reasons), List.copyOf(doubtful)));
    }
    Route route = routes.get(index);
    if (mustResolve) {
      route.guard().acquireRegardless();
    } else if (!route.guard().tryAcquire()) {
      reasons.add(route.supplierId() + ": " + (route.guard().breaker().state() == CircuitBreaker.State.CLOSED
          ? "at its concurrency limit" : "circuit open"));
      return attempt(orderId, account, faceValue, routes, index + 1, false, reasons, doubtful, log);
    }
    String id = supplierOrderId(orderId, route.supplierId());
    TopupRequest request = new TopupRequest(id, route.productCode(), account, faceValue);
    long deadline = System.nanoTime() + settings.resolveWithin().toNanos();
    long started = System.nanoTime();
    return log.beforeSubmit(route.supplierId(), id)
        .thenCompose(logged -> route.adapter().submit(request))
        .whenComplete((answer, failure) -> SupplierMeter.submitted(route.supplierId(),
            failure != null ? "error" : answer.getClass().getSimpleName().toLowerCase(Locale.ROOT), started))
        .thenCompose(answer -> resolve(route, id, answer, deadline).thenApply(result -> {
          route.guard().release(healthy(answer));
          if (answer instanceof TopupResult.Unknown && result instanceof NotReceived) {
            doubtful.add(route.supplierId());
          }
          return result;
        }))
        .thenCompose(result -> {
          if (result instanceof Succeeded succeeded) {
            return CompletableFuture.completedFuture(new Delivered(route.supplierId(), id, succeeded.supplierReference(),
                List.copyOf(doubtful)));
          }
          if (result.definitelyNotToppedUp()) {
            reasons.add(route.supplierId() + ": " + (result instanceof Failed failed ? failed.reason() : "not received"));
            return attempt(orderId, account, faceValue, routes, index + 1, false, reasons, doubtful, log);
          }
          return CompletableFuture.completedFuture(new Undecided(route.supplierId(), id,
              result instanceof TopupResult.Unknown unknown ? unknown.why() : "still processing"));
        });
  }

  /** Queries an ambiguous or processing attempt until it is definite or the deadline passes. */
  private CompletionStage<TopupResult> resolve(Route route, String id, TopupResult result, long deadline) {
    boolean settled = result instanceof Succeeded || result.definitelyNotToppedUp();
    if (settled || System.nanoTime() >= deadline) {
      return CompletableFuture.completedFuture(result);
    }
    Executor later = CompletableFuture.delayedExecutor(settings.queryEvery().toMillis(), TimeUnit.MILLISECONDS);
    return CompletableFuture.supplyAsync(() -> id, later)
        .thenCompose(route.adapter()::query)
        .thenCompose(next -> resolve(route, id, next instanceof NotReceived && result instanceof Processing
            ? result : next, deadline));
  }

  /**
   * Judged by the supplier's answer to the submit: out of stock is a healthy supplier running dry;
   * no answer, a 5xx, or a refusal of our request counts against it, whatever a query finds later.
   */
  private static boolean healthy(TopupResult result) {
    return result instanceof Succeeded || result instanceof Processing
        || result instanceof Failed failed && !failed.reason().equals("UNREACHABLE") && !failed.reason().startsWith("PROTOCOL_");
  }
}
