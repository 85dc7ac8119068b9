package com.quanyi.node.projection;

import static com.quanyi.node.testkit.Books.salesUnits;
import static com.quanyi.node.testkit.Partners.channel;
import static com.quanyi.node.testkit.Partners.order;
import static com.quanyi.node.testkit.Partners.signed;
import static com.quanyi.node.testkit.Partners.stockedSku;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.persistence.testkit.TestCassandra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The state a crash leaves behind, made on purpose: a channel's account event is in the journal but
 * its tag view was never written (the node or Cassandra died between the two writes), and the sales
 * projection has already passed the event's time (it read another channel's later orders). Nobody
 * touches the channel afterwards. The reports must still count its orders: the account starts again
 * by itself (remembered), its recovery writes the missing tag view with the event's original time,
 * and the projection, restarted, reads from before its stored offset (TagSource).
 */
class LateTagViewIT {

  private static final String TAG = EventTags.tag(EventTags.ORDER, 0);
  private static final String JOURNAL = TestCassandra.JOURNAL_KEYSPACE;

  @Test
  void anAccountEventWhoseTagViewWasLostReachesTheSalesLedgerWithNobodyTouchingTheChannel() throws Exception {
    Channel quiet;
    Channel busy;
    String quietSku;
    String busySku;
    try (Node node = TestNodes.startReady()) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      quiet = channel(admin, 100_000);
      busy = channel(admin, 100_000);
      quietSku = stockedSku(admin, quiet, 10, 100);
      busySku = stockedSku(admin, busy, 10, 100);
      List<String> busyNumbers = numbersOfTag(busy, 3);
      assertEquals(201, signed(node, busy, "POST", "/api/v1/orders", order(busyNumbers.get(0), busySku)).status());
      Await.until("the sales projection stored an offset for " + TAG, Duration.ofSeconds(30),
          () -> salesUnits(admin, busy, busySku) == 1);
      try {
        assertEquals(200, admin.post("/admin/v1/projections/sales/pause", TestNodes.ADMIN_TOKEN, "{}").status());
        for (String no : numbersOfTag(quiet, 2)) {
          assertEquals(201, signed(node, quiet, "POST", "/api/v1/orders", order(no, quietSku)).status());
        }
        Thread.sleep(200);
        for (String no : busyNumbers.subList(1, 3)) {
          assertEquals(201, signed(node, busy, "POST", "/api/v1/orders", order(no, busySku)).status());
        }
      } finally {
        admin.post("/admin/v1/projections/sales/resume", TestNodes.ADMIN_TOKEN, "{}");
      }
    }

    String quietAccount = "ChannelAccount|" + quiet.id();
    try (CqlSession cql = TestCassandra.get().newSession()) {
      UUID lastOfQuiet = null;
      for (Row row : cql.execute("SELECT timestamp, tags FROM " + JOURNAL + ".messages WHERE persistence_id = ? "
          + "AND partition_nr = 0", quietAccount)) {
        if (row.getSet("tags", String.class).contains(TAG)) {
          lastOfQuiet = row.getUuid("timestamp");
        }
      }
      assertTrue(lastOfQuiet != null, "the quiet channel's orders are in its account's journal, tagged " + TAG);
      // As a crash between the journal write and the tag view write leaves it: no tag view, no
      // tag progress, no scanning mark for the quiet channel's account.
      int deleted = 0;
      for (Row view : cql.execute("SELECT timebucket, timestamp, persistence_id, tag_pid_sequence_nr FROM " + JOURNAL
          + ".tag_views WHERE tag_name = ? ALLOW FILTERING", TAG)) {
        if (view.getString("persistence_id").equals(quietAccount)) {
          cql.execute("DELETE FROM " + JOURNAL + ".tag_views WHERE tag_name = ? AND timebucket = ? AND timestamp = ? "
              + "AND persistence_id = ? AND tag_pid_sequence_nr = ?", TAG, view.getLong("timebucket"),
              view.getUuid("timestamp"), quietAccount, view.getLong("tag_pid_sequence_nr"));
          deleted++;
        }
      }
      assertTrue(deleted > 0, "the quiet channel's tag views were there to lose");
      cql.execute("DELETE FROM " + JOURNAL + ".tag_write_progress WHERE persistence_id = ? AND tag = ?", quietAccount, TAG);
      cql.execute("DELETE FROM " + JOURNAL + ".tag_scanning WHERE persistence_id = ?", quietAccount);
      // ...and the projection has passed the quiet channel's orders (it read the busy channel's later ones).
      setSalesOffset(cql, Uuids.startOf(Uuids.unixTimestamp(lastOfQuiet) + 1));
    }

    try (Node node = TestNodes.startReady()) {
      HttpTestClient admin = new HttpTestClient(node.httpPort());
      Await.until("the busy channel's later orders in the sales ledger", Duration.ofSeconds(60),
          () -> salesUnits(admin, busy, busySku) == 3);
      Await.until("the quiet channel's orders in the sales ledger, with nobody touching the channel",
          Duration.ofSeconds(90), () -> salesUnits(admin, quiet, quietSku) == 2);
    }
  }

  /** Order numbers of this channel whose orders carry {@link #TAG}. */
  private static List<String> numbersOfTag(Channel c, int count) {
    List<String> numbers = new ArrayList<>();
    for (int i = 0; numbers.size() < count; i++) {
      String no = "LT-" + i;
      if (EventTags.tagFor(EventTags.ORDER, c.id() + "~" + no, 4).equals(TAG)) {
        numbers.add(no);
      }
    }
    return numbers;
  }

  private static void setSalesOffset(CqlSession cql, UUID offset) {
    Row stored = null;
    for (Row row : cql.execute("SELECT partition, projection_key FROM " + TestCassandra.KEYSPACE
        + ".offset_store WHERE projection_name = 'sales' ALLOW FILTERING")) {
      if (row.getString("projection_key").equals(TAG)) {
        stored = row;
      }
    }
    assertTrue(stored != null, "the sales projection stored an offset for " + TAG);
    cql.execute("UPDATE " + TestCassandra.KEYSPACE + ".offset_store SET offset = ? WHERE projection_name = 'sales' "
        + "AND partition = ? AND projection_key = ?", offset.toString(), stored.getInt("partition"), TAG);
  }
}
