package com.quanyi.protocol.inventory;

import com.quanyi.protocol.CborSerializable;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of the SKU inventory entity (one sharded persistent actor per SKU): its commands,
 * the events it persists, and its replies. The behavior is {@code node/…/inventory/SkuInventory}.
 */
public final class InventoryProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "SkuInventory");

  private InventoryProtocol() {}

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** Registers the SKU in the catalog; {@code actor} is who asked, for the audit trail. */
  public record RegisterSku(SkuDefinition definition, String actor, ActorRef<Registration> replyTo)
      implements Command {}

  public record GetSku(ActorRef<Lookup> replyTo) implements Command {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record SkuRegistered(SkuDefinition definition, String actor, Instant at) implements Event {}

  // ---- replies

  /** What a SKU looks like from outside: its definition and when it was registered. */
  public record SkuView(SkuDefinition definition, Instant registeredAt) implements CborSerializable {}

  public sealed interface Registration extends CborSerializable {}

  public record Registered(SkuView sku) implements Registration {}

  /** A SKU with this id exists already; registering is not an update. */
  public record AlreadyRegistered(SkuView sku) implements Registration {}

  public sealed interface Lookup extends CborSerializable {}

  public record Found(SkuView sku) implements Lookup {}

  public record NotFound() implements Lookup {}
}
