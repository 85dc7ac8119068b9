package com.quanyi.node.order;

import com.quanyi.persistence.order.AcceptedOrderStore;
import com.quanyi.persistence.order.AcceptedOrderStore.Serialized;
import com.quanyi.protocol.order.OrderProcessProtocol.OrderAccepted;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;

/**
 * The acceptances channel accounts wrote with their charges, by order id: what an order entity
 * reads when its own journal is empty and its account no longer remembers the order. Serialized
 * as the journal serializes events, so an acceptance reads back exactly as it was written.
 */
public final class AcceptanceIndex {

  private final AcceptedOrderStore store;
  private final Serialization serialization;

  public AcceptanceIndex(ActorSystem<?> system, AcceptedOrderStore store) {
    this.store = store;
    this.serialization = SerializationExtension.get(system);
  }

  public CompletionStage<Void> write(List<OrderAccepted> acceptances) {
    return store.write(acceptances.stream().map(this::serialized).toList());
  }

  public CompletionStage<Optional<OrderAccepted>> find(String orderId) {
    return store.find(orderId).thenApply(found -> found.map(row -> (OrderAccepted) serialization
        .deserialize(row.bytes(), row.serializerId(), row.manifest()).get()));
  }

  private Serialized serialized(OrderAccepted accepted) {
    var serializer = serialization.findSerializerFor(accepted);
    return new Serialized(accepted.request().orderId(), serializer.identifier(),
        Serializers.manifestFor(serializer, accepted), serializer.toBinary(accepted));
  }
}
