package com.quanyi.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A group commit front's work, per kind of entity: how many requests each written group carried
 * ({@code quanyi_group_commit_size}), how many were left waiting when it was handed over
 * ({@code quanyi_group_commit_waiting}), and how many requests were shed because too many waited
 * ({@code quanyi_group_commit_shed_total}).
 */
public final class GroupMeter {

  private final DistributionSummary sizes;
  private final DistributionSummary waiting;
  private final Counter shed;

  GroupMeter(MeterRegistry registry, String entity) {
    this.sizes = DistributionSummary.builder("quanyi.group.commit.size")
        .description("Requests decided and written together as one group").tag("entity", entity)
        .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(1024.0).register(registry);
    this.waiting = DistributionSummary.builder("quanyi.group.commit.waiting")
        .description("Requests left waiting when a group was handed to its entity").tag("entity", entity)
        .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(4096.0).register(registry);
    this.shed = Counter.builder("quanyi.group.commit.shed")
        .description("Requests answered 'overloaded' because too many waited").tag("entity", entity)
        .register(registry);
  }

  /** Meters registered once per kind; every entity of that kind shares them. */
  public static GroupMeter of(String entity) {
    return new GroupMeter(NodeMetrics.registry(), entity);
  }

  public void handedOver(int size, int leftWaiting) {
    sizes.record(size);
    waiting.record(leftWaiting);
  }

  public void shed() {
    shed.increment();
  }
}
