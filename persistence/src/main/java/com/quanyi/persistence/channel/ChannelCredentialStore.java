package com.quanyi.persistence.channel;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The {@code channel_credentials} table: each channel's API key and sealed secret, by channel id. */
public final class ChannelCredentialStore {

  /** A channel's key and its secret as sealed by the vault master key {@code masterKeyId}. */
  public record Stored(String apiKey, String masterKeyId, byte[] sealedSecret) {
    @Override
    public String toString() {
      return "Stored[apiKey=" + apiKey + "]";
    }
  }

  private final CqlSession session;
  private final PreparedStatement insert;
  private final PreparedStatement select;

  public ChannelCredentialStore(CqlSession session, String keyspace) {
    this.session = session;
    this.insert = session.prepare("INSERT INTO " + keyspace
        + ".channel_credentials (channel_id, api_key, master_key_id, sealed_secret) VALUES (?, ?, ?, ?)");
    this.select = session.prepare("SELECT api_key, master_key_id, sealed_secret FROM " + keyspace
        + ".channel_credentials WHERE channel_id = ?");
  }

  public CompletionStage<Void> put(String channelId, Stored credentials) {
    return session.executeAsync(insert.bind(channelId, credentials.apiKey(), credentials.masterKeyId(),
        ByteBuffer.wrap(credentials.sealedSecret()))).thenApply(rs -> null);
  }

  public CompletionStage<Optional<Stored>> find(String channelId) {
    return session.executeAsync(select.bind(channelId)).thenApply(rs -> {
      Row row = rs.one();
      if (row == null) {
        return Optional.empty();
      }
      ByteBuffer buffer = row.getByteBuffer("sealed_secret");
      byte[] sealed = new byte[buffer.remaining()];
      buffer.get(sealed);
      return Optional.of(new Stored(row.getString("api_key"), row.getString("master_key_id"), sealed));
    });
  }
}
