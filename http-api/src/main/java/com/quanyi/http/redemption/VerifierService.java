package com.quanyi.http.redemption;

import com.quanyi.http.channel.ChannelService.Outcome;
import com.quanyi.http.channel.SignedRoutes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Verifiers (核销方: a brand, a merchant, a store till) as the HTTP API needs them: registered with
 * their own signed credentials, scoped to SKUs; implemented by the node.
 */
public interface VerifierService extends SignedRoutes.Authenticator {

  /** Body of {@code POST /admin/v1/verifiers}; no {@code skuIds} (or none) means every SKU. */
  record NewVerifier(String verifierId, String name, List<String> skuIds) {}

  /** The one response that shows the secret. */
  record Credentials(String verifierId, String apiKey, String apiSecret) {}

  /** A verifier as operators see it (never its secret). */
  record VerifierInfo(String verifierId, String name, List<String> skuIds, String apiKey, String createdBy,
      Instant createdAt) {}

  CompletionStage<Outcome<Credentials>> register(NewVerifier verifier, String actor);

  CompletionStage<List<VerifierInfo>> list();

  /** The SKUs the verifier may redeem; empty: every SKU. Refused NOT_FOUND for an unknown verifier. */
  CompletionStage<Outcome<List<String>>> scope(String verifierId);
}
