package com.quanyi.http.order;

import com.quanyi.http.ProblemCode;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.order.OrderRequest;
import com.quanyi.protocol.order.OrderStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Orders as the HTTP API needs them; implemented by the node over the order entities and the vault. */
public interface OrderService {

  record Code(String code, Instant expiresAt) {}

  /**
   * An order as the API shows it. {@code codes} only for card codes; {@code parts} only for a
   * benefit bundle (its codes are in its parts); {@code review} only in
   * operators' views, when an operator must look at the order (a top-up no supplier would decide);
   * {@code refunded} only for a PARTLY_DELIVERED bundle: its failed top-up part's share, given back.
   */
  record OrderResponse(String orderId, String clientOrderNo, String skuId, int quantity, OrderStatus status,
      Money amount, Money refunded, List<Code> codes, Instant createdAt, String review, List<PartResponse> parts) {}

  /** One part of a bundle order: its SKU, where it stands and its codes (all parts in one response). */
  record PartResponse(String skuId, OrderStatus status, List<Code> codes) {}

  sealed interface Outcome permits Created, Existing, Refused {}

  record Created(OrderResponse order) implements Outcome {}

  record Existing(OrderResponse order) implements Outcome {}

  /** Nothing happened; the detail is safe to show. */
  record Refused(ProblemCode code, String detail) implements Outcome, TimelineOutcome {}

  CompletionStage<Outcome> place(OrderRequest request);

  /** The channel's own order, codes in plaintext; Refused NOT_FOUND for anyone else's. */
  CompletionStage<Outcome> channelOrder(String channelId, String clientOrderNo);

  /** Any order for an operator, codes masked. */
  CompletionStage<Outcome> adminOrder(String orderId);

  /**
   * One event in an order's life as operators see it: what happened ({@code kind}), the status it
   * gave the order (null if none), who did it (an operator; null for the platform) and a detail safe
   * to show (never a code).
   */
  record TimelineEntry(Instant at, String kind, OrderStatus status, String actor, String detail) {}

  /** The order's events, oldest first; Refused NOT_FOUND when there is no such order. */
  CompletionStage<TimelineOutcome> timeline(String orderId);

  sealed interface TimelineOutcome permits Timeline, Refused {}

  record Timeline(String orderId, List<TimelineEntry> events) implements TimelineOutcome {}

  record ReviewEntry(String orderId, String reason, Instant openedAt) {}

  /** Orders waiting for an operator, oldest first. */
  CompletionStage<List<ReviewEntry>> reviews();

  /**
   * An operator resolves a top-up waiting for review: DELIVERED (the supplier did top up) or FAILED
   * (it did not: the charge is refunded). Refused INVALID_REQUEST when the order is not waiting.
   */
  CompletionStage<Outcome> resolve(String orderId, OrderStatus status, String actor);

  /**
   * An operator decides an order risk control holds in REVIEW: approve (card codes are allocated
   * and delivered now, or the order ends FAILED with its charge refunded if stock ran out meanwhile; a
   * top-up goes to its suppliers) or reject (FAILED, the charge is refunded). Refused INVALID_REQUEST
   * when the order is not in REVIEW.
   */
  CompletionStage<Outcome> decideReview(String orderId, boolean approve, String actor);

  /**
   * An operator refunds a DELIVERED order's charge (status REFUNDED; what was delivered stays
   * delivered). Asking again answers the refunded order; refused INVALID_REQUEST when the order is
   * not DELIVERED, NOT_FOUND when there is no such order.
   */
  CompletionStage<Outcome> refund(String orderId, String reason, String actor);
}
