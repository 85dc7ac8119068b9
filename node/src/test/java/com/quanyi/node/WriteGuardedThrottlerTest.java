package com.quanyi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.quanyi.node.metrics.CassandraMeter;
import com.datastax.oss.driver.api.core.session.throttling.RequestThrottler;
import com.datastax.oss.driver.api.core.session.throttling.Throttled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteGuardedThrottlerTest {

  private static final long MS = 1_000_000L;

  /** Lets every request through at once and notes it, as the driver's limiter does below its limit. */
  private static final class Limits implements RequestThrottler {
    final List<Throttled> registered = new ArrayList<>();

    @Override
    public void register(Throttled request) {
      registered.add(request);
      request.onThrottleReady(false);
    }

    @Override
    public void signalSuccess(Throttled request) {}

    @Override
    public void signalError(Throttled request, Throwable error) {}

    @Override
    public void signalTimeout(Throttled request) {}

    @Override
    public void close() {}
  }

  /** A request as the driver's handler sees its throttling: sent, or failed with the reason. */
  private static final class Request implements Throttled {
    boolean sent;
    RequestThrottlingException refused;

    @Override
    public void onThrottleReady(boolean timedOut) {
      sent = true;
    }

    @Override
    public void onThrottleFailure(RequestThrottlingException error) {
      refused = error;
    }
  }

  private final AtomicLong now = new AtomicLong(0);
  private final WriteGuard guard = new WriteGuard(Duration.ofMillis(1500), Duration.ofSeconds(6), now::get);
  private final Limits limits = new Limits();
  private final WriteGuardedThrottler throttler = new WriteGuardedThrottler(limits, () -> guard, SessionOutcomes.of("test"),
      CassandraMeter.of("test"));

  @Test
  void aRequestMadeBeforeTheProcessStoodStillIsNotSentWhenItMovesAgain() {
    Request before = send(100);
    now.set(12_000 * MS);
    Request decidedBeforeSentAfter = new Request();
    throttler.register(decidedBeforeSentAfter);
    guard.ticked(now.get());
    Request during = send(17_900);
    Request after = send(18_100);

    assertTrue(before.sent);
    assertTrue(decidedBeforeSentAfter.refused != null && !decidedBeforeSentAfter.sent,
        "reaching the driver before the ticker noticed the stall");
    assertTrue(during.refused != null && !during.sent, "5.9 s after the stall");
    assertTrue(after.sent, "6.1 s after it");
    assertEquals(List.of(before, after), limits.registered, "only requests sent count against the limits");
  }

  private Request send(long atMillis) {
    while (now.get() + 100 * MS <= atMillis * MS) {
      now.addAndGet(100 * MS);
      guard.ticked(now.get());
    }
    now.set(atMillis * MS);
    Request request = new Request();
    throttler.register(request);
    return request;
  }
}
