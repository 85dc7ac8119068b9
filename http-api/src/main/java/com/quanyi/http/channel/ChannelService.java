package com.quanyi.http.channel;

import com.quanyi.http.ProblemCode;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelView;
import com.quanyi.protocol.channel.Product;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Channels as the HTTP API needs them; implemented by the node over the channel entities. */
public interface ChannelService {

  /** Body of {@code POST /admin/v1/channels}. */
  record NewChannel(String channelId, String name, String parentChannelId, String callbackUrl) {}

  /** The one response that shows the secret. */
  record Credentials(String channelId, String apiKey, String apiSecret) {}

  sealed interface Outcome<T> permits Done, Refused {}

  record Done<T>(T value) implements Outcome<T> {}

  /** Nothing changed; the detail is safe to show. */
  record Refused<T>(ProblemCode code, String detail) implements Outcome<T> {}

  CompletionStage<Outcome<Credentials>> register(NewChannel channel, String actor);

  CompletionStage<Outcome<ChannelView>> get(String channelId);

  CompletionStage<Outcome<Money>> deposit(String channelId, String reference, Money amount, String actor);

  CompletionStage<Outcome<ChannelView>> setPrice(String channelId, String skuId, Money price, Integer quota, String actor);

  /**
   * Authenticates a signed partner request: the key's channel, its secret, the signature over
   * {@code canonical}, and the nonce's first use. Answers the channel id.
   */
  CompletionStage<Outcome<String>> authenticate(SignedRequest request, String canonical);

  CompletionStage<Outcome<Money>> balance(String channelId);

  /**
   * The channel's catalog view (千渠千面): the listed SKUs the operators priced for this channel,
   * at that price, sorted by SKU id.
   */
  CompletionStage<Outcome<List<Product>>> products(String channelId);
}
