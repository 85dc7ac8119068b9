package com.quanyi.node.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.quanyi.protocol.order.OrderProcessProtocol.Event;
import com.quanyi.protocol.order.OrderProcessProtocol.ReviewRejected;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.persistence.query.TimeBasedUUID;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;

/** The sales projection's watermark only moves forward, whatever order a group's offsets come in. */
class WatermarkTest {

  /** A version-1 UUID at {@code ticks} (100 ns units of its clock). */
  private static UUID at(long ticks) {
    long msb = ((ticks & 0xFFFFFFFFL) << 32) | (((ticks >>> 32) & 0xFFFFL) << 16) | 0x1000L
        | ((ticks >>> 48) & 0x0FFFL);
    return new UUID(msb, 0x8000000000000000L);
  }

  private static EventEnvelope<Event> envelope(UUID offset) {
    return EventEnvelope.create(new TimeBasedUUID(offset), "order|ch~" + offset, 1,
        new ReviewRejected("why", "ops", Instant.EPOCH), 0L);
  }

  @Test
  void theWatermarkIsTheLatestOffsetNotTheLastEvent() {
    assertEquals(1_000L, at(1_000).timestamp());
    // The query found an event late: the group's last envelope has the oldest offset.
    List<EventEnvelope<Event>> group = List.of(envelope(at(500)), envelope(at(700)), envelope(at(100)));
    assertEquals(at(700), OrderReportHandler.latest(null, offsets(group)));
    assertEquals(at(900), OrderReportHandler.latest(at(900), offsets(group)), "never moves back");
    assertEquals(at(700), OrderReportHandler.latest(at(600), offsets(group)));
  }

  private static List<org.apache.pekko.persistence.query.Offset> offsets(List<EventEnvelope<Event>> group) {
    return group.stream().map(EventEnvelope::offset).toList();
  }
}
