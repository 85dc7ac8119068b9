package com.quanyi.protocol.order;

import com.quanyi.protocol.CborSerializable;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of the review queue (one persistent entity for the platform): the orders an
 * operator must decide, e.g. a top-up no supplier would say it did or did not do. Small by nature:
 * an order leaves it when an operator decides it. The behavior is {@code node/…/order/ReviewQueue}.
 */
public final class ReviewQueueProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ReviewQueue");
  public static final String ENTITY_ID = "orders";

  private ReviewQueueProtocol() {}

  public sealed interface Command extends CborSerializable {}

  /** Idempotent: an order already waiting keeps its first reason. */
  public record Open(String orderId, String reason, ActorRef<Ack> replyTo) implements Command {}

  public record Close(String orderId, ActorRef<Ack> replyTo) implements Command {}

  public record ListOpen(ActorRef<Items> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record ReviewOpened(String orderId, String reason, Instant at) implements Event {}

  public record ReviewClosed(String orderId, Instant at) implements Event {}

  public record Item(String orderId, String reason, Instant openedAt) implements CborSerializable {}

  public record Items(List<Item> items) implements CborSerializable {}

  public record Ack() implements CborSerializable {}
}
