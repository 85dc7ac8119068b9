package com.quanyi.protocol.admin;

import com.quanyi.protocol.CborSerializable;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The protocol of the admin directory: the admin tokens of the platform (as SHA-256 digests only)
 * and their roles. One entity for the whole cluster; admin traffic is light and every node caches
 * what it learns. The behavior is {@code node/…/admin/AdminDirectory}.
 */
public final class AdminDirectoryProtocol {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "AdminDirectory");
  public static final String ENTITY_ID = "admins";

  private AdminDirectoryProtocol() {}

  public sealed interface Command extends CborSerializable {}

  /** Issues a token; the directory stores only its digest. */
  public record IssueToken(String name, Role role, String tokenDigest, String actor, ActorRef<Issue> replyTo)
      implements Command {}

  public record RevokeToken(String name, String actor, ActorRef<Revocation> replyTo) implements Command {}

  public record Authenticate(String tokenDigest, ActorRef<Authentication> replyTo) implements Command {}

  public record ListTokens(ActorRef<TokenList> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record TokenIssued(String name, Role role, String tokenDigest, String actor, Instant at) implements Event {}

  public record TokenRevoked(String name, String actor, Instant at) implements Event {}

  public sealed interface Issue extends CborSerializable {}

  public record Issued(String name, Role role) implements Issue {}

  public record NameTaken(String name) implements Issue {}

  public sealed interface Revocation extends CborSerializable {}

  public record Revoked(String name) implements Revocation {}

  public record UnknownToken(String name) implements Revocation {}

  public record Authentication(AdminPrincipal principal) implements CborSerializable {
    public boolean authenticated() {
      return principal != null;
    }
  }

  public record TokenInfo(String name, Role role, Instant issuedAt, String issuedBy) implements CborSerializable {}

  public record TokenList(List<TokenInfo> tokens) implements CborSerializable {}
}
