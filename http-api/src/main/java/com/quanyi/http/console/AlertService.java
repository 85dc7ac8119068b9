package com.quanyi.http.console;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The operator alerts in force now: shown by the console, sent to the operators' webhook. */
public interface AlertService {

  /**
   * @param key stable for one condition on one subject (e.g. {@code LOW_STOCK/sku-1}), so a raise
   *     and its clearing name the same alert
   * @param kind LOW_STOCK, SUPPLIER_CIRCUIT_OPEN, REVIEW_QUEUE or PROJECTION_LAG
   * @param since when the watch first saw it
   */
  record Alert(String key, String kind, String subject, String detail, Instant since) {}

  CompletionStage<List<Alert>> active();
}
