package com.quanyi.node.channel;

import com.quanyi.node.RecentOrders;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.channel.ChannelCredentials;
import com.quanyi.protocol.channel.ChannelDefinition;
import com.quanyi.protocol.channel.ChannelAccountProtocol.ChannelPrice;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The stored form of a channel account's state (the live state is a mutable {@link AccountLedger}). */
public record AccountSnapshot(ChannelDefinition definition, ChannelCredentials credentials, Instant registeredAt,
    Map<String, ChannelPrice> prices, String currency, long balance, long deposited, long debited, long refunded,
    Map<String, Long> deposits, List<ChargeSnapshot> charges, Map<String, Long> unitsBought,
    Map<String, Long> openRefunds, List<OrderAccepted> unindexed, List<RecentOrders.Hour> orderNumbers)
    implements CborSerializable {

  /** {@code accepted}: the charge was also the order's acceptance (false in older snapshots). */
  public record ChargeSnapshot(String orderId, long amount, boolean refunded, Instant at, String skuId, int units,
      boolean accepted) implements CborSerializable {}

  static AccountSnapshot of(AccountLedger ledger) {
    return ledger.snapshot();
  }

  AccountLedger toLedger(Duration holdWindow, Duration numbersKept) {
    return AccountLedger.restore(this, holdWindow, numbersKept);
  }
}
