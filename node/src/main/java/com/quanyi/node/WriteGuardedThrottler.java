package com.quanyi.node;

import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.session.throttling.RequestThrottler;
import com.datastax.oss.driver.api.core.session.throttling.Throttled;
import com.datastax.oss.driver.internal.core.session.throttling.ConcurrencyLimitingRequestThrottler;
import com.quanyi.node.metrics.CassandraMeter;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The Cassandra driver's request throttler, refusing every request while the process's
 * {@link WriteGuard} refuses writes, and otherwise limiting concurrency as the driver's own
 * throttler does. Entities ask the guard before they decide; a write they decided on just before
 * the process stood still (or the node was cut off) is already on its way through the journal, and
 * when the process moves again it would reach Cassandra after the entity's new incarnation elsewhere
 * wrote the same sequence number (seen in the chaos test's pause fault). The throttler is the last point every
 * request passes before the driver hands it to its connection.
 *
 * <p>Reads are refused too: the driver does not tell this hook what a request is, and a node that
 * may have been downed has nothing to read for.
 */
public final class WriteGuardedThrottler implements RequestThrottler {

  private final RequestThrottler limits;
  private final Supplier<WriteGuard> guard;
  private final SessionOutcomes outcomes;
  private final CassandraMeter meter;

  /**
   * Built by the driver from {@code advanced.throttler.class}; the limits come from the same section.
   * Every request's end passes here too, so it notes the session's outcomes ({@link SessionOutcomes}).
   */
  public WriteGuardedThrottler(DriverContext context) {
    this(new ConcurrencyLimitingRequestThrottler(context), WriteGuard::ofProcess,
        SessionOutcomes.of(context.getSessionName()), CassandraMeter.of(context.getSessionName()));
  }

  WriteGuardedThrottler(RequestThrottler limits, Supplier<WriteGuard> guard, SessionOutcomes outcomes,
      CassandraMeter meter) {
    this.limits = limits;
    this.guard = guard;
    this.outcomes = outcomes;
    this.meter = meter;
  }

  @Override
  public void register(Throttled request) {
    if (guard.get().mayWrite()) {
      limits.register(request);
    } else {
      meter.refused();
      // The driver does not count a request refused with this exception as started.
      request.onThrottleFailure(new RequestThrottlingException(
          "This node may have been downed (it stood still, or it cannot reach the side the cluster keeps); "
          + "it sends Cassandra nothing for now"));
    }
  }

  @Override
  public void signalSuccess(Throttled request) {
    outcomes.answered(System.nanoTime());
    meter.answered();
    limits.signalSuccess(request);
  }

  @Override
  public void signalError(Throttled request, Throwable error) {
    meter.failed(error);
    if (error instanceof NoNodeAvailableException) {
      outcomes.noNode(System.nanoTime());
    } else {
      // Any other error had a node to go to.
      outcomes.answered(System.nanoTime());
    }
    limits.signalError(request, error);
  }

  @Override
  public void signalTimeout(Throttled request) {
    meter.timedOut();
    limits.signalTimeout(request);
  }

  @Override
  public void close() throws IOException {
    limits.close();
  }
}
