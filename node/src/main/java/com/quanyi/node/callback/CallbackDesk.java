package com.quanyi.node.callback;

import com.quanyi.node.Replies;
import com.quanyi.http.callback.CallbackService;
import com.quanyi.protocol.callback.CallbackOutboxProtocol;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.ListParked;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.ParkedList;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.Replay;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.ReplayReply;
import com.quanyi.protocol.callback.CallbackOutboxProtocol.Requeued;
import java.util.concurrent.Executor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** Parked callbacks over the channels' outboxes. */
public final class CallbackDesk implements CallbackService {

  private final ClusterSharding sharding;

  /** Where the continuations of entity replies run (see Replies). */

  private final Executor dispatcher;
  private final Duration askTimeout;

  public CallbackDesk(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.dispatcher = Replies.dispatcher(system);
    this.askTimeout = askTimeout;
  }

  @Override
  public CompletionStage<List<ParkedCallback>> parked(String channelId) {
    return Replies.on(dispatcher, sharding.entityRefFor(CallbackOutboxProtocol.TYPE_KEY, channelId)
        .<ParkedList>ask(ListParked::new, askTimeout))
        .thenApply(list -> list.callbacks().stream().map(p -> new ParkedCallback(p.eventId(), p.orderId(), p.url(),
            p.attempts(), p.lastError(), p.parkedAt())).toList());
  }

  @Override
  public CompletionStage<Boolean> replay(String channelId, String eventId, String actor) {
    return Replies.on(dispatcher, sharding.entityRefFor(CallbackOutboxProtocol.TYPE_KEY, channelId)
        .<ReplayReply>ask(r -> new Replay(eventId, actor, r), askTimeout))
        .thenApply(reply -> reply instanceof Requeued);
  }
}
