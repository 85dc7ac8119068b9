package com.quanyi.node.metrics;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every partner API answer by HTTP status ({@code quanyi_partner_responses_total{status}}): the
 * refusals made before an order reaches the order desk (429 shed at admission, 401 bad signature
 * or replayed nonce, 400 malformed) are counted only here; {@code quanyi_orders_total} has the
 * desk's own answers by reason.
 */
public final class PartnerMeter {

  /** A counter per status, resolved once: this runs for every partner request. */
  private static final AtomicReferenceArray<Counter> BY_STATUS = new AtomicReferenceArray<>(600);

  private PartnerMeter() {}

  public static void answered(int status) {
    int index = status >= 100 && status < 600 ? status : 0;
    Counter counter = BY_STATUS.get(index);
    if (counter == null) {
      counter = Counter.builder("quanyi.partner.responses").description("Partner API answers by HTTP status")
          .tag("status", index == 0 ? "other" : String.valueOf(status)).register(NodeMetrics.registry());
      BY_STATUS.set(index, counter);
    }
    counter.increment();
  }
}
