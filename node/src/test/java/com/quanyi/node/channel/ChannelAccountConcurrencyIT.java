package com.quanyi.node.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.quanyi.node.Node;
import com.quanyi.node.testkit.TestNodes;
import com.quanyi.protocol.Money;
import com.quanyi.protocol.channel.ChannelAccountProtocol;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountState;
import com.quanyi.protocol.channel.ChannelAccountProtocol.AccountView;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debit;
import com.quanyi.protocol.channel.ChannelAccountProtocol.DebitReply;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Debited;
import com.quanyi.protocol.channel.ChannelAccountProtocol.Deposit;
import com.quanyi.protocol.channel.ChannelAccountProtocol.GetAccount;
import com.quanyi.protocol.channel.ChannelAccountProtocol.InsufficientBalance;
import com.quanyi.protocol.channel.ChannelAccountProtocol.OpenAccount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.junit.jupiter.api.Test;

/** Money under concurrency, against the real journal: the balance never goes below zero, and every cent is traced. */
class ChannelAccountConcurrencyIT {

  private static final Duration ASK = Duration.ofSeconds(10);
  private static final Money PRICE = Money.of(1990, "CNY");

  @Test
  void twoHundredConcurrentDebitsAgainstABalanceForOneHundredFifty() throws Exception {
    try (Node node = TestNodes.startReady()) {
      EntityRef<ChannelAccountProtocol.Command> account = ClusterSharding.get(node.system())
          .entityRefFor(ChannelAccountProtocol.TYPE_KEY, "ch-" + UUID.randomUUID());
      account.<AccountReply>ask(r -> new OpenAccount("CNY", "ops", r), ASK).toCompletableFuture().join();
      // The same deposit sent five times at once is one deposit.
      List<CompletableFuture<AccountReply>> deposits = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        deposits.add(account.<AccountReply>ask(r -> new Deposit("wire-2026-11-21", PRICE.times(150), "fin", r), ASK)
            .toCompletableFuture());
      }
      deposits.forEach(d -> assertInstanceOf(AccountState.class, d.join()));

      List<CompletableFuture<DebitReply>> debits = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String orderId = "o-" + i;
        debits.add(account.<DebitReply>ask(r -> new Debit(orderId, PRICE, r), ASK).toCompletableFuture());
        if (i % 2 == 0) {
          debits.add(account.<DebitReply>ask(r -> new Debit(orderId, PRICE, r), ASK).toCompletableFuture());
        }
      }
      CompletableFuture.allOf(debits.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      long charged = debits.stream().map(CompletableFuture::join).filter(Debited.class::isInstance)
          .map(d -> ((Debited) d).orderId()).distinct().count();
      long refused = debits.stream().map(CompletableFuture::join).filter(InsufficientBalance.class::isInstance).count();
      assertEquals(150, charged, "exactly the orders the balance pays for");
      assertTrue(refused >= 50);
      debits.stream().map(CompletableFuture::join).filter(InsufficientBalance.class::isInstance)
          .forEach(r -> assertTrue(((InsufficientBalance) r).balance().amount() >= 0));

      AccountView view = assertInstanceOf(AccountState.class,
          account.<AccountReply>ask(GetAccount::new, ASK).toCompletableFuture().join()).account();
      assertEquals(Money.of(0, "CNY"), view.balance());
      assertEquals(PRICE.times(150), view.deposited());
      assertEquals(PRICE.times(150), view.debited());
      assertEquals(view.deposited().amount(), view.balance().amount() + view.debited().amount() - view.refunded().amount());
    }
  }
}
