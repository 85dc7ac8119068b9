package com.quanyi.node.projection;

import com.quanyi.persistence.reporting.AccountReportStore;
import com.quanyi.persistence.reporting.ChannelReport;
import com.quanyi.protocol.channel.ChannelProtocol.Event;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * The account projection's handler for one tag: each account event adds its statement lines, then
 * moves the channel's totals and sequence number; an event at or below that number is a replay and
 * skipped (its lines, written again, are the same).
 */
final class AccountReportHandler extends Handler<EventEnvelope<Event>> {

  private final AccountReportStore store;
  private final Map<String, ChannelReport> channels = new Lru<>(10_000);

  AccountReportHandler(AccountReportStore store) {
    this.store = store;
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<Event> envelope) {
    String channelId = ProjectionSupport.entityId(envelope.persistenceId());
    ChannelReport known = channels.get(channelId);
    CompletionStage<ChannelReport> current = known != null ? CompletableFuture.completedFuture(known)
        : store.channel(channelId).thenApply(found -> found.orElse(ChannelReport.unknown(channelId)));
    return current.thenCompose(before -> {
      if (before.seq() >= envelope.sequenceNr()) {
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      AccountReportLogic.Effect effect = AccountReportLogic.apply(before, envelope.event(), envelope.sequenceNr());
      return store.write(effect.after(), effect.entries()).thenApply(written -> {
        channels.put(channelId, effect.after());
        return Done.getInstance();
      });
    });
  }
}
