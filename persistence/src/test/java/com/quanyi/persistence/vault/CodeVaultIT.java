package com.quanyi.persistence.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.quanyi.persistence.testkit.TestCassandra;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SlotRange;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CodeVaultIT {

  private static CqlSession session;
  private static final byte[] FINGERPRINT_KEY = VaultKeys.randomKey();
  private static final byte[] OLD_MASTER = VaultKeys.randomKey();
  private static final byte[] NEW_MASTER = VaultKeys.randomKey();

  @BeforeAll
  static void connect() {
    session = TestCassandra.get().newSession();
  }

  @AfterAll
  static void close() {
    session.close();
  }

  private static CodeVault vault(Map<String, byte[]> masters, String current) {
    return new CodeVault(session, TestCassandra.KEYSPACE, new VaultKeys(masters, current, FINGERPRINT_KEY), Clock.systemUTC());
  }

  private static List<NewCode> codes(CodeVault vault, String prefix, int count) {
    List<NewCode> codes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String code = prefix + "-" + i;
      codes.add(new NewCode(i, code, i == 0 ? Instant.parse("2030-01-01T00:00:00Z") : null, vault.fingerprint(code)));
    }
    return codes;
  }

  @Test
  void storedCodesAreCiphertextAndRevealInOrderAcrossBuckets() {
    CodeVault vault = vault(Map.of("k1", OLD_MASTER), "k1");
    String sku = "sku-" + UUID.randomUUID();
    BatchKey batch = vault.openBatch(sku, "b1", "sup", Money.of(100, "CNY"), "ops");
    int count = CodeVault.POSITIONS_PER_BUCKET + 10;
    vault.store(batch, codes(vault, "PLAIN", count)).toCompletableFuture().join();

    for (Row row : session.execute("SELECT ciphertext FROM quanyi.vault_codes WHERE sku_id = ? AND batch_id = 'b1' "
        + "AND bucket = 0 LIMIT 50", sku)) {
      assertFalse(new String(CodeVault.bytes(row.getByteBuffer("ciphertext"))).contains("PLAIN"));
    }
    List<RevealedCode> revealed = vault.reveal(sku, List.of(new SlotRange("b1", 0, 2),
        new SlotRange("b1", CodeVault.POSITIONS_PER_BUCKET - 1, 3))).toCompletableFuture().join();
    assertEquals(List.of("PLAIN-0", "PLAIN-1", "PLAIN-" + (CodeVault.POSITIONS_PER_BUCKET - 1),
        "PLAIN-" + CodeVault.POSITIONS_PER_BUCKET, "PLAIN-" + (CodeVault.POSITIONS_PER_BUCKET + 1)),
        revealed.stream().map(RevealedCode::code).toList());
    assertEquals(Instant.parse("2030-01-01T00:00:00Z"), revealed.get(0).expiresAt());
  }

  @Test
  void aCiphertextCopiedToAnotherPositionDoesNotDecrypt() {
    CodeVault vault = vault(Map.of("k1", OLD_MASTER), "k1");
    String sku = "sku-" + UUID.randomUUID();
    vault.store(vault.openBatch(sku, "b1", "sup", Money.of(100, "CNY"), "ops"), codes(vault, "MOVE", 2))
        .toCompletableFuture().join();
    Row first = session.execute("SELECT nonce, ciphertext FROM quanyi.vault_codes WHERE sku_id = ? AND batch_id = 'b1' "
        + "AND bucket = 0 AND position = 0", sku).one();
    session.execute("UPDATE quanyi.vault_codes SET nonce = ?, ciphertext = ? WHERE sku_id = ? AND batch_id = 'b1' "
        + "AND bucket = 0 AND position = 1", first.getByteBuffer("nonce"), first.getByteBuffer("ciphertext"), sku);
    CompletionException failure = assertThrows(CompletionException.class,
        () -> vault.reveal(sku, List.of(new SlotRange("b1", 1, 1))).toCompletableFuture().join());
    assertEquals(VaultException.class, failure.getCause().getClass());
    assertFalse(failure.getCause().getMessage().contains("MOVE"));
  }

  @Test
  void rotationRewrapsBatchKeysSoTheOldMasterKeyCanBeRetired() {
    String sku = "sku-" + UUID.randomUUID();
    CodeVault before = vault(Map.of("old", OLD_MASTER), "old");
    before.store(before.openBatch(sku, "b1", "sup", Money.of(100, "CNY"), "ops"), codes(before, "ROT", 3))
        .toCompletableFuture().join();

    CodeVault during = vault(Map.of("old", OLD_MASTER, "new", NEW_MASTER), "new");
    int rewrapped = during.rewrapBatchKeys();
    assertEquals(true, rewrapped >= 1);
    assertEquals("new", during.batch(sku, "b1").orElseThrow().masterKeyId());

    CodeVault after = vault(Map.of("new", NEW_MASTER), "new");
    assertEquals(List.of("ROT-0", "ROT-1", "ROT-2"), after.reveal(sku, List.of(new SlotRange("b1", 0, 3)))
        .toCompletableFuture().join().stream().map(RevealedCode::code).toList());
  }
}
