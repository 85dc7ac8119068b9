package com.quanyi.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.Complete;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Load shedding for the partner API: at most {@code limit} requests in flight; one more is answered
 * 429 OVERLOADED with {@code Retry-After} at once, before any signature check or entity is asked,
 * so that past capacity the node answers fast instead of queueing every request behind the others.
 * A place is given back when the inner route produces its result, so the inner route must turn its
 * own exceptions into responses (a thrown exception produces no result here).
 *
 * <p>Every answer's status goes to {@code answered} (the node meters them): the refusals made before
 * an order reaches the order desk (shed here, a bad signature, a malformed body) are seen only here.
 */
public final class Admission extends ApiDirectives {

  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final IntConsumer answered;

  public Admission(int limit, IntConsumer answered) {
    if (limit < 1) {
      throw new IllegalArgumentException("the in-flight limit is at least 1");
    }
    this.limit = limit;
    this.answered = answered;
  }

  public Route admitted(Supplier<Route> inner) {
    return extractRequestContext(ctx -> {
      if (inFlight.incrementAndGet() > limit) {
        inFlight.decrementAndGet();
        answered.accept(ProblemCode.OVERLOADED.status());
        return completeProblem(ProblemCode.OVERLOADED, "the node is at capacity; retry shortly");
      }
      return mapRouteResult(result -> {
        inFlight.decrementAndGet();
        if (result instanceof Complete complete) {
          answered.accept(complete.getResponse().status().intValue());
        }
        return result;
      }, inner);
    });
  }

  public int inFlight() {
    return inFlight.get();
  }
}
