package com.quanyi.http.redemption;

import com.quanyi.http.ProblemCode;
import com.quanyi.protocol.Money;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Redemption (核销) of delivered codes by verifiers; implemented by the node. A code is found by its
 * fingerprint (never by decrypting the vault), and the order it was delivered in decides, one
 * request at a time: so a code is redeemed once however many tills try at once, and a refund and a
 * redemption of the same order never both succeed. Codes travel only in request bodies; answers
 * show them masked.
 */
public interface RedemptionService {

  /** A request: who asks (verifier), from where (the connection's address), for which code. */
  record Attempt(String verifierId, String clientIp, String code, String place, Money amount) {}

  /** A redemption done. {@code remaining}: what is left of a value card (zero once used up). */
  record Redemption(String redemptionId, String skuId, String batchId, String orderId, String channelId, String code,
      Instant redeemedAt, Money remaining) {}

  /** What a redemption would do now; nothing changed. {@code reason}: why not, when not redeemable. */
  record Check(boolean redeemable, String reason, String skuId, String batchId, String orderId, String channelId,
      String code, Money remaining, Instant redeemedAt, String place) {}

  sealed interface Outcome permits Redeemed, Checked, AlreadyRedeemed, Refused {}

  record Redeemed(Redemption redemption) implements Outcome {}

  record Checked(Check check) implements Outcome {}

  /** 409: nothing of the code is left; its last redemption was at {@code redeemedAt}, {@code place}. */
  record AlreadyRedeemed(String code, Instant redeemedAt, String place) implements Outcome {}

  /**
   * Nothing happened; the detail is safe to show. {@code retryAfterSeconds} for a caller held back
   * (429), else 0.
   */
  record Refused(ProblemCode code, String detail, long retryAfterSeconds) implements Outcome {
    public Refused(ProblemCode code, String detail) {
      this(code, detail, 0);
    }
  }

  CompletionStage<Outcome> redeem(Attempt attempt);

  CompletionStage<Outcome> check(Attempt attempt);
}
