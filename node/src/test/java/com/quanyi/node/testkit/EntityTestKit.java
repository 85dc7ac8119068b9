package com.quanyi.node.testkit;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * An ActorTestKit for EventSourcedBehaviorTestKit specs: in-memory journal, and the production
 * serialization bindings, so every command, event, reply and state is checked to round-trip
 * through Jackson CBOR.
 */
public final class EntityTestKit {
  private EntityTestKit() {}

  public static ActorTestKit create() {
    return ActorTestKit.create(EventSourcedBehaviorTestKit.config()
        .withFallback(ConfigFactory.parseResources("quanyi/serialization.conf"))
        .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
        .resolve());
  }
}
