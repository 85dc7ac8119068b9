package com.quanyi.persistence.risk;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.quanyi.protocol.risk.RiskVerdict;
import com.quanyi.protocol.risk.RuleHit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every risk decision is recorded: one row per order decision, and one per subject a rule
 * fired on. The order path writes and does not wait; at most {@link #MAX_IN_FLIGHT} writes are
 * outstanding, beyond which a decision's record is dropped and counted rather than slowing
 * orders down (see {@link #dropped()}).
 */
public final class RiskDecisionLog {

  private static final Logger log = LoggerFactory.getLogger(RiskDecisionLog.class);
  static final int MAX_IN_FLIGHT = 2048;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CqlSession session;
  private final PreparedStatement insertByOrder;
  private final PreparedStatement insertBySubject;
  private final PreparedStatement selectByOrder;
  private final PreparedStatement selectBySubject;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final AtomicLong dropped = new AtomicLong();

  /** One recorded decision. */
  public record Decision(String orderId, Instant decidedAt, String decision, String reason, long ruleVersion,
      String skuId, String riskLevel, List<RuleHit> hits) {}

  public RiskDecisionLog(CqlSession session, String keyspace) {
    this.session = session;
    this.insertByOrder = session.prepare("INSERT INTO " + keyspace + ".risk_decisions_by_order (order_id, decided_at, "
        + "decision, reason, rule_version, sku_id, risk_level, hits) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    this.insertBySubject = session.prepare("INSERT INTO " + keyspace + ".risk_decisions_by_subject (subject, "
        + "decided_at, order_id, decision, reason, hits) VALUES (?, ?, ?, ?, ?, ?)");
    this.selectByOrder = session.prepare("SELECT * FROM " + keyspace
        + ".risk_decisions_by_order WHERE order_id = ? LIMIT 100");
    this.selectBySubject = session.prepare("SELECT * FROM " + keyspace
        + ".risk_decisions_by_subject WHERE subject = ? LIMIT ?");
  }

  public void record(String orderId, String skuId, String riskLevel, RiskVerdict verdict, Instant at) {
    List<String> hits = verdict.hits().stream().map(RiskDecisionLog::json).toList();
    String decision = verdict.decision().name();
    write(insertByOrder.bind(orderId, at, decision, verdict.reason(), verdict.ruleVersion(), skuId, riskLevel, hits));
    Set<String> subjects = new LinkedHashSet<>();
    verdict.hits().forEach(h -> subjects.add(h.subject()));
    for (String subject : subjects) {
      List<String> own = verdict.hits().stream().filter(h -> h.subject().equals(subject))
          .map(RiskDecisionLog::json).toList();
      write(insertBySubject.bind(subject, at, orderId, decision, verdict.reason(), own));
    }
  }

  /** Decisions not recorded because too many writes were outstanding, since start. */
  public long dropped() {
    return dropped.get();
  }

  public CompletionStage<List<Decision>> byOrder(String orderId) {
    return session.executeAsync(selectByOrder.bind(orderId)).thenApply(rs -> {
      List<Decision> decisions = new ArrayList<>();
      for (Row row : rs.currentPage()) {
        decisions.add(new Decision(orderId, row.getInstant("decided_at"), row.getString("decision"),
            row.getString("reason"), row.getLong("rule_version"), row.getString("sku_id"), row.getString("risk_level"),
            hits(row)));
      }
      return decisions;
    });
  }

  public CompletionStage<List<Decision>> bySubject(String subject, int limit) {
    return session.executeAsync(selectBySubject.bind(subject, limit)).thenApply(rs -> {
      List<Decision> decisions = new ArrayList<>();
      for (Row row : rs.currentPage()) {
        decisions.add(new Decision(row.getString("order_id"), row.getInstant("decided_at"), row.getString("decision"),
            row.getString("reason"), 0, null, null, hits(row)));
      }
      return decisions;
    });
  }

  private void write(com.datastax.oss.driver.api.core.cql.BoundStatement statement) {
    if (!inFlight.tryAcquire()) {
      if (dropped.getAndIncrement() % 1000 == 0) {
        log.warn("Risk decision records dropped: {} writes outstanding", MAX_IN_FLIGHT);
      }
      return;
    }
    session.executeAsync(statement).whenComplete((rs, failure) -> {
      inFlight.release();
      if (failure != null) {
        dropped.incrementAndGet();
        log.warn("A risk decision was not recorded: {}", failure.getClass().getSimpleName());
      }
    });
  }

  private static List<RuleHit> hits(Row row) {
    List<RuleHit> hits = new ArrayList<>();
    for (String text : row.getList("hits", String.class)) {
      try {
        hits.add(JSON.readValue(text, RuleHit.class));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("an unreadable risk hit in the decision log", e);
      }
    }
    return hits;
  }

  private static String json(RuleHit hit) {
    try {
      return JSON.writeValueAsString(hit);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
