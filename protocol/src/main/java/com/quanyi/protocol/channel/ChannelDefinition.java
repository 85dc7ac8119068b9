package com.quanyi.protocol.channel;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Identifier;
import java.util.Objects;

/**
 * A channel (distributor): who it is, where it sits in the channel tree, where its callbacks go.
 *
 * @param depth 1 for a top-level channel; at most {@link #MAX_DEPTH} (deeper chains are illegal
 *     pyramid schemes in China)
 */
public record ChannelDefinition(String channelId, String name, String parentChannelId, int depth, String callbackUrl,
    String currency) implements CborSerializable {

  public static final int MAX_DEPTH = 3;

  public ChannelDefinition {
    Identifier.require("channelId", channelId);
    if (name == null || name.isBlank() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("name must be 1-200 characters without control characters");
    }
    if (parentChannelId != null) {
      Identifier.require("parentChannelId", parentChannelId);
      if (parentChannelId.equals(channelId)) {
        throw new IllegalArgumentException("a channel cannot be its own parent");
      }
    }
    if (depth < 1 || depth > MAX_DEPTH) {
      throw new IllegalArgumentException("channels nest at most " + MAX_DEPTH + " levels deep");
    }
    if ((parentChannelId == null) != (depth == 1)) {
      throw new IllegalArgumentException("only a top-level channel has no parent");
    }
    Objects.requireNonNull(currency, "currency");
  }
}
