package com.quanyi.node.channel;

import com.quanyi.http.ProblemCode;
import com.quanyi.http.channel.ChannelService.Done;
import com.quanyi.http.channel.ChannelService.Outcome;
import com.quanyi.http.channel.ChannelService.Refused;
import com.quanyi.http.channel.RequestSignature;
import com.quanyi.http.channel.SignedRequest;
import com.quanyi.node.AskTimeout;
import com.quanyi.node.Replies;
import com.quanyi.protocol.channel.NonceRegistryProtocol;
import com.quanyi.protocol.channel.NonceRegistryProtocol.NonceAnswer;
import com.quanyi.protocol.channel.NonceRegistryProtocol.UseNonce;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What every signed caller (a channel, a verifier) passes once its key is known: the signature over
 * the canonical request with its secret, then the nonce's first use within the timestamp window
 * (its registry, by API key, remembers the nonces it let in).
 */
public final class SignatureCheck {

  private final ClusterSharding sharding;
  private final Executor dispatcher;
  private final AskTimeout askTimeout;
  private final int nonceBuckets;

  /** @param nonceBuckets how many nonce registries each API key's nonces are spread over */
  public SignatureCheck(ActorSystem<?> system, AskTimeout askTimeout, int nonceBuckets) {
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
    this.nonceBuckets = nonceBuckets;
  }

  /** Answers {@code caller} when the request is signed with {@code secret} and its nonce is new. */
  public CompletionStage<Outcome<String>> check(SignedRequest request, String canonical, String secret, String caller) {
    if (!RequestSignature.verify(secret, canonical, request.signature())) {
      return CompletableFuture.completedFuture(new Refused<>(ProblemCode.UNAUTHENTICATED, "signature does not match"));
    }
    String registry = NonceRegistryProtocol.entityId(request.apiKey(), request.nonce(), nonceBuckets);
    return Replies.on(dispatcher, sharding.entityRefFor(NonceRegistryProtocol.TYPE_KEY, registry)
            .<NonceAnswer>ask(r -> new UseNonce(request.nonce(), request.timestampMillis(), r), askTimeout.now()))
        .thenApply(answer -> switch (answer.verdict()) {
          case FRESH -> (Outcome<String>) new Done<>(caller);
          case USED -> new Refused<>(ProblemCode.UNAUTHENTICATED, "nonce already used");
          case UNKNOWN -> throw new IllegalStateException("the nonce cannot be judged now");
        });
  }
}
