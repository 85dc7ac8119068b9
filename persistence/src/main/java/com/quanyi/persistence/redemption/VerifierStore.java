package com.quanyi.persistence.redemption;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The {@code verifiers} table. A verifier is registered once: the insert is a lightweight
 * transaction, so two registrations of one id cannot both win (registrations are rare; redemptions
 * only read).
 */
public final class VerifierStore {

  /**
   * A verifier as stored: its secret sealed by the vault master key {@code masterKeyId}; the SKUs
   * and the suppliers whose codes it may redeem (both empty: every code).
   */
  public record StoredVerifier(String verifierId, String name, Set<String> skuIds, Set<String> supplierIds,
      String apiKey, String masterKeyId, byte[] sealedSecret, String createdBy, Instant createdAt) {
    @Override
    public String toString() {
      return "StoredVerifier[" + verifierId + ", apiKey=" + apiKey + "]";
    }
  }

  private final CqlSession session;
  private final PreparedStatement insert;
  private final PreparedStatement select;
  private final PreparedStatement selectAll;

  public VerifierStore(CqlSession session, String keyspace) {
    this.session = session;
    this.insert = session.prepare("INSERT INTO " + keyspace + ".verifiers (verifier_id, name, sku_ids, supplier_ids, "
        + "api_key, master_key_id, sealed_secret, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        + "IF NOT EXISTS");
    this.select = session.prepare("SELECT * FROM " + keyspace + ".verifiers WHERE verifier_id = ?");
    this.selectAll = session.prepare("SELECT * FROM " + keyspace + ".verifiers");
  }

  /** True if registered now; false if the id was taken. */
  public CompletionStage<Boolean> register(StoredVerifier verifier) {
    return session.executeAsync(insert.bind(verifier.verifierId(), verifier.name(), verifier.skuIds(),
            verifier.supplierIds(), verifier.apiKey(), verifier.masterKeyId(), ByteBuffer.wrap(verifier.sealedSecret()), verifier.createdBy(),
            verifier.createdAt()))
        .thenApply(rs -> rs.wasApplied());
  }

  public CompletionStage<Optional<StoredVerifier>> find(String verifierId) {
    return session.executeAsync(select.bind(verifierId)).thenApply(rs -> Optional.ofNullable(rs.one())
        .map(VerifierStore::verifier));
  }

  /** Every verifier (a directory of partners, not a stream: its first page, 5,000 rows). */
  public CompletionStage<List<StoredVerifier>> all() {
    return session.executeAsync(selectAll.bind().setPageSize(5_000)).thenApply(rs -> {
      List<StoredVerifier> all = new ArrayList<>();
      rs.currentPage().forEach(row -> all.add(verifier(row)));
      return all;
    });
  }

  private static StoredVerifier verifier(Row row) {
    ByteBuffer buffer = row.getByteBuffer("sealed_secret");
    byte[] sealed = new byte[buffer.remaining()];
    buffer.get(sealed);
    return new StoredVerifier(row.getString("verifier_id"), row.getString("name"), row.getSet("sku_ids", String.class),
        row.getSet("supplier_ids", String.class), row.getString("api_key"), row.getString("master_key_id"), sealed, row.getString("created_by"),
        row.getInstant("created_at"));
  }
}
