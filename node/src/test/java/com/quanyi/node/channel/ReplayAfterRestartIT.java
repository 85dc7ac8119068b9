package com.quanyi.node.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.quanyi.node.Node;
import com.quanyi.node.testkit.Await;
import com.quanyi.node.testkit.HttpTestClient;
import com.quanyi.node.testkit.Partners;
import com.quanyi.node.testkit.Partners.Channel;
import com.quanyi.node.testkit.Partners.Signature;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.persistence.testkit.TestCassandra;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signed requests replayed after the node that let them in is gone: every nonce registry starts
 * again with nothing in memory, yet no replay gets in. One stamped ahead of the server's clock was
 * recorded and is a 401; the others are answered "retry" (503): signed before the registries'
 * fence, they cannot be told from a request signed just before the restart. The channel's
 * credentials are read from their sealed copy.
 */
class ReplayAfterRestartIT {

  private static final byte[] NO_BODY = new byte[0];

  @Test
  void aReplayAfterARestartIsStillRefused() {
    Channel c;
    List<Signature> used = new ArrayList<>();
    Signature ahead;
    try (Node node = TestNodes.startReady()) {
      c = Partners.channel(new HttpTestClient(node.httpPort()), 100);
      for (int i = 0; i < 32; i++) {
        Signature signature = Signature.of(c, "/api/v1/balance", NO_BODY).withNonce(Partners.nonce());
        assertEquals(200, balance(node, signature));
        used.add(signature);
      }
      ahead = Signature.of(c, "/api/v1/balance", NO_BODY).at(System.currentTimeMillis() + 120_000)
          .withNonce(Partners.nonce());
      assertEquals(200, balance(node, ahead), "a request stamped two minutes ahead is within the window");
    }
    try (CqlSession cql = TestCassandra.get().newSession()) {
      Row copy = cql.execute("SELECT api_key, sealed_secret FROM " + TestCassandra.KEYSPACE
          + ".channel_credentials WHERE channel_id = ?", c.id()).one();
      assertTrue(copy != null, "the channel's credentials are copied to Cassandra at registration");
      assertEquals(c.key(), copy.getString("api_key"));
      ByteBuffer sealed = copy.getByteBuffer("sealed_secret");
      byte[] bytes = new byte[sealed.remaining()];
      sealed.get(bytes);
      assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains(c.secret()), "the copy is sealed");
    }
    try (Node restarted = TestNodes.startReady()) {
      for (Signature replay : used) {
        assertEquals(503, balance(restarted, replay), "a replay after the restart, signed before the fence");
      }
      assertEquals(401, balance(restarted, ahead), "a replay of the recorded request stamped ahead");
      Channel channel = c;
      Await.until("a new request let in", Duration.ofSeconds(10), () -> balance(restarted,
          Signature.of(channel, "/api/v1/balance", NO_BODY).withNonce(Partners.nonce())) == 200);
      for (Signature replay : used) {
        assertEquals(503, balance(restarted, replay), "still no replay once new requests go in");
      }
    }
  }

  private static int balance(Node node, Signature signature) {
    return Partners.send(node.httpPort(), "GET", "/api/v1/balance", NO_BODY, signature).status();
  }
}
