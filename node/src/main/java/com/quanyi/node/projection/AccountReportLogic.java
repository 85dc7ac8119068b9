package com.quanyi.node.projection;

import com.quanyi.protocol.reporting.AccountEntry;
import com.quanyi.persistence.reporting.ChannelReport;
import com.quanyi.protocol.channel.ChannelDefinition;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountOpened;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelRegistered;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DepositReceived;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Event;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrderCharge;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrderRefunded;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OrdersDebited;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one channel account event means for the account statement, as a pure function: the
 * channel's new totals and tree position, and its statement lines, each with the balance after it.
 */
public final class AccountReportLogic {

  public record Effect(ChannelReport after, List<AccountEntry> entries) {}

  public static final String DEPOSIT = "DEPOSIT";
  public static final String DEBIT = "DEBIT";
  public static final String REFUND = "REFUND";

  private AccountReportLogic() {}

  public static Effect apply(ChannelReport before, Event event, long seq) {
    ChannelReport c = before;
    List<AccountEntry> entries = new ArrayList<>();
    String name = c.name();
    String parent = c.parentId();
    int depth = c.depth();
    String currency = c.currency();
    long deposited = c.deposited();
    long debited = c.debited();
    long refunded = c.refunded();
    long balance = c.balance();
    if (event instanceof ChannelRegistered e) {
      ChannelDefinition d = e.definition();
      name = d.name();
      parent = d.parentChannelId();
      depth = d.depth();
      currency = currency == null ? d.currency() : currency;
    } else if (event instanceof AccountOpened e) {
      currency = e.currency();
    } else if (event instanceof DepositReceived e) {
      deposited += e.amount().amount();
      balance += e.amount().amount();
      entries.add(entry(c, seq, 0, e.at(), DEPOSIT, e.reference(), null, 0, e.amount().amount(), balance,
          e.amount().currency()));
    } else if (event instanceof OrdersDebited e) {
      int idx = 0;
      for (OrderCharge charge : e.charges()) {
        debited += charge.amount().amount();
        balance -= charge.amount().amount();
        entries.add(entry(c, seq, idx++, e.at(), DEBIT, charge.orderId(), charge.skuId(), charge.units(),
            charge.amount().amount(), balance, charge.amount().currency()));
      }
    } else if (event instanceof OrderRefunded e) {
      refunded += e.amount().amount();
      balance += e.amount().amount();
      entries.add(entry(c, seq, 0, e.at(), REFUND, e.orderId(), null, 0, e.amount().amount(), balance,
          e.amount().currency()));
    }
    ChannelReport after = new ChannelReport(c.channelId(), seq, name, parent, depth, currency, deposited, debited,
        refunded, balance, c.entries() + entries.size());
    return new Effect(after, entries);
  }

  private static AccountEntry entry(ChannelReport c, long seq, int idx, Instant at, String kind, String reference,
      String skuId, int units, long amount, long balance, String currency) {
    return new AccountEntry(c.channelId(), seq, idx, at, kind, reference, skuId, units, amount, balance, currency);
  }
}
