package com.quanyi.protocol.supplier;

import com.quanyi.protocol.CborSerializable;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of the supplier directory (one persistent entity for the platform: suppliers are
 * few): suppliers with their sealed secrets, and each SKU's route — the suppliers that can top it
 * up, in priority order. The behavior is {@code node/…/supplier/SupplierDirectory}. Its journal is
 * the audit trail of who registered or rerouted what.
 */
public final class SupplierDirectoryProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "SupplierDirectory");
  public static final String ENTITY_ID = "suppliers";
  public static final int MAX_ROUTE_LENGTH = 10;

  private SupplierDirectoryProtocol() {}

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  public record RegisterSupplier(SupplierDefinition definition, SupplierCredentials credentials, String actor,
      ActorRef<Registration> replyTo) implements Command {}

  public record ListSuppliers(ActorRef<SupplierList> replyTo) implements Command {}

  /** Replaces the SKU's route; every supplier in it must be registered, none twice. */
  public record SetRoute(String skuId, List<RouteEntry> entries, String actor, ActorRef<RouteReply> replyTo)
      implements Command {}

  public record GetRoute(String skuId, ActorRef<RouteReply> replyTo) implements Command {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record SupplierRegistered(SupplierDefinition definition, SupplierCredentials credentials, String actor,
      Instant at) implements Event {}

  public record RouteSet(String skuId, List<RouteEntry> entries, String actor, Instant at) implements Event {}

  // ---- replies

  public record Supplier(SupplierDefinition definition, SupplierCredentials credentials, Instant registeredAt)
      implements CborSerializable {}

  public sealed interface Registration extends CborSerializable {}

  public record Registered(Supplier supplier) implements Registration {}

  public record AlreadyRegistered(Supplier supplier) implements Registration {}

  public record SupplierList(List<Supplier> suppliers) implements CborSerializable {}

  public sealed interface RouteReply extends CborSerializable {}

  /** The route with each supplier's definition and credentials, in priority order. */
  public record Route(String skuId, List<RouteEntry> entries, List<Supplier> suppliers) implements RouteReply {}

  public record RouteRefused(String reason) implements RouteReply {}
}
