package com.quanyi.node.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.persistence.query.TimeBasedUUID;
import org.junit.jupiter.api.Test;

class TagSourceTest {

  @Test
  void aStoredOffsetIsMovedBackByTheRewindAndStaysATimeBasedUuid() {
    UUID stored = Uuids.startOf(1_764_000_000_123L);
    TimeBasedUUID rewound = TagSource.rewound(new TimeBasedUUID(stored), Duration.ofMinutes(1));
    assertEquals(1_764_000_000_123L - 60_000, Uuids.unixTimestamp(rewound.value()));
    assertEquals(1, rewound.value().version());
    assertTrue(rewound.compareTo(new TimeBasedUUID(stored)) < 0);
  }
}
