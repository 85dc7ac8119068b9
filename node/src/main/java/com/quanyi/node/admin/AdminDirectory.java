package com.quanyi.node.admin;

import static com.quanyi.protocol.admin.AdminDirectoryProtocol.TYPE_KEY;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.admin.AdminPrincipal;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.Authenticate;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.Authentication;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.Command;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.Event;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.IssueToken;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.Issued;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.ListTokens;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.NameTaken;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.RevokeToken;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.Revoked;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.TokenInfo;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.TokenIssued;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.TokenList;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.TokenRevoked;
import com.quanyi.protocol.admin.AdminDirectoryProtocol.UnknownToken;
import com.quanyi.protocol.admin.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;

/**
 * The admin tokens of the platform, as digests with their roles. Its journal is the audit trail
 * of who issued or revoked which token, when.
 */
public final class AdminDirectory
    extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, AdminDirectory.State> {

  /** Tokens by name; the digest index is derived. */
  public record State(Map<String, Token> byName) implements CborSerializable {
    public record Token(String name, Role role, String tokenDigest, String issuedBy, Instant issuedAt)
        implements CborSerializable {}

    AdminPrincipal principalFor(String digest) {
      return byName.values().stream().filter(t -> t.tokenDigest().equals(digest)).findFirst()
          .map(t -> new AdminPrincipal(t.name(), t.role())).orElse(null);
    }
  }

  private final Clock clock;

  private AdminDirectory(PersistenceId id, Clock clock) {
    super(id);
    this.clock = clock;
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(ctx.getEntityId(), Clock.systemUTC())));
  }

  public static Behavior<Command> create(String entityId, Clock clock) {
    return new AdminDirectory(PersistenceId.of(TYPE_KEY.name(), entityId), clock);
  }

  @Override
  public State emptyState() {
    return new State(Map.of());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(IssueToken.class, (state, cmd) -> state.byName().containsKey(cmd.name())
            ? Effect().reply(cmd.replyTo(), new NameTaken(cmd.name()))
            : Effect().persist(new TokenIssued(cmd.name(), cmd.role(), cmd.tokenDigest(), cmd.actor(), clock.instant()))
                .thenReply(cmd.replyTo(), s -> new Issued(cmd.name(), cmd.role())))
        .onCommand(RevokeToken.class, (state, cmd) -> !state.byName().containsKey(cmd.name())
            ? Effect().reply(cmd.replyTo(), new UnknownToken(cmd.name()))
            : Effect().persist(new TokenRevoked(cmd.name(), cmd.actor(), clock.instant()))
                .thenReply(cmd.replyTo(), s -> new Revoked(cmd.name())))
        .onCommand(Authenticate.class, (state, cmd) ->
            Effect().reply(cmd.replyTo(), new Authentication(state.principalFor(cmd.tokenDigest()))))
        .onCommand(ListTokens.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new TokenList(
            state.byName().values().stream().sorted(Comparator.comparing(State.Token::name))
                .map(t -> new TokenInfo(t.name(), t.role(), t.issuedAt(), t.issuedBy())).toList())))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(TokenIssued.class, (state, e) -> {
          Map<String, State.Token> tokens = new HashMap<>(state.byName());
          tokens.put(e.name(), new State.Token(e.name(), e.role(), e.tokenDigest(), e.actor(), e.at()));
          return new State(Map.copyOf(tokens));
        })
        .onEvent(TokenRevoked.class, (state, e) -> {
          Map<String, State.Token> tokens = new HashMap<>(state.byName());
          tokens.remove(e.name());
          return new State(Map.copyOf(tokens));
        })
        .build();
  }
}
