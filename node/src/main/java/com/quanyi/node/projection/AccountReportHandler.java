package com.quanyi.node.projection;

import com.quanyi.persistence.reporting.AccountReportStore;
import com.quanyi.persistence.reporting.ChannelReport;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Event;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * The account projection's handler for one tag: each account event adds its statement lines, then
 * moves the channel's totals and sequence number (its lines, written again on a replay, are the same).
 */
final class AccountReportHandler extends EntityStateHandler<Event, ChannelReport> {

  private final AccountReportStore store;

  AccountReportHandler(AccountReportStore store) {
    this.store = store;
  }

  @Override
  protected CompletionStage<ChannelReport> load(String channelId) {
    return store.channel(channelId).thenApply(found -> found.orElse(ChannelReport.unknown(channelId)));
  }

  @Override
  protected long seq(ChannelReport state) {
    return state.seq();
  }

  @Override
  protected CompletionStage<ChannelReport> applyAndWrite(String channelId, ChannelReport before,
      EventEnvelope<Event> envelope) {
    AccountReportLogic.Effect effect = AccountReportLogic.apply(before, envelope.event(), envelope.sequenceNr());
    return store.write(effect.after(), effect.entries()).thenApply(written -> effect.after());
  }
}
