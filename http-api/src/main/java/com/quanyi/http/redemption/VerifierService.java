package com.quanyi.http.redemption;

import com.quanyi.http.channel.ChannelService.Outcome;
import com.quanyi.http.channel.SignedRoutes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Verifiers (核销方: a brand, a merchant, a store till) as the HTTP API needs them: registered with
 * their own signed credentials, scoped to SKUs and suppliers; implemented by the node.
 */
public interface VerifierService extends SignedRoutes.Authenticator {

  /** Body of {@code POST /admin/v1/verifiers}; no {@code skuIds} and no {@code supplierIds}: every code. */
  record NewVerifier(String verifierId, String name, List<String> skuIds, List<String> supplierIds) {}

  /**
   * What a verifier may redeem: the codes of {@code skuIds}, and the codes {@code supplierIds}
   * supplied (whatever their SKU: a brand redeems its own codes sold in any product); both empty:
   * every code.
   */
  record Scope(List<String> skuIds, List<String> supplierIds) {
    public Scope {
      skuIds = skuIds == null ? List.of() : List.copyOf(skuIds);
      supplierIds = supplierIds == null ? List.of() : List.copyOf(supplierIds);
    }

    public boolean covers(String skuId, String supplierId) {
      return skuIds.isEmpty() && supplierIds.isEmpty() || skuIds.contains(skuId)
          || supplierId != null && supplierIds.contains(supplierId);
    }
  }

  /** The one response that shows the secret. */
  record Credentials(String verifierId, String apiKey, String apiSecret) {}

  /** A verifier as operators see it (never its secret). */
  record VerifierInfo(String verifierId, String name, List<String> skuIds, List<String> supplierIds, String apiKey,
      String createdBy, Instant createdAt) {}

  CompletionStage<Outcome<Credentials>> register(NewVerifier verifier, String actor);

  CompletionStage<List<VerifierInfo>> list();

  /** What the verifier may redeem. Refused NOT_FOUND for an unknown verifier. */
  CompletionStage<Outcome<Scope>> scope(String verifierId);
}
