package com.quanyi.http.redemption;

import com.quanyi.protocol.Money;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The life of one code, found by its fingerprint (the vault is never decrypted for it), for
 * auditors; implemented by the node. The code itself appears only masked.
 */
public interface CodeTraceService {

  /**
   * One step: IMPORTED (batch, supplier, who), DELIVERED (order, channel), REDEEMED (verifier, place,
   * amount), VOIDED (its order refunded, who), FROZEN (its batch is frozen now; when is not kept).
   */
  record TraceEvent(Instant at, String kind, String orderId, String channelId, String buyerId, String verifierId,
      String actor, String place, Money amount, String detail) {}

  record Trace(String code, String skuId, String batchId, List<TraceEvent> events) {}

  /** Empty when no batch holds the code. */
  CompletionStage<Optional<Trace>> trace(String code);
}
