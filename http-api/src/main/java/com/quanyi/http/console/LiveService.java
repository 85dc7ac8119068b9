package com.quanyi.http.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** What the console's dashboard polls: the cluster's members and its order answers so far. */
public interface LiveService {

  /** One member as the answering node sees it. */
  record ClusterMember(String address, String status, boolean reachable, boolean self) {}

  /**
   * @param orderAnswers order placements answered since the cluster started, over every node, keyed
   *     {@code kind/outcome/reason} (the tags of {@code quanyi_orders_total}); a few seconds behind
   *     for the other nodes' answers
   */
  record Live(Instant at, String node, List<ClusterMember> members, Map<String, Long> orderAnswers) {}

  CompletionStage<Live> live();
}
