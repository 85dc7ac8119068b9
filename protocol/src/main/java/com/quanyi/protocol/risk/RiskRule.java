package com.quanyi.protocol.risk;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.inventory.RiskLevel;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One velocity rule: "{@code measure} of a {@code subject} within {@code window} may not exceed
 * {@code limit}". An order that would take the measure past the limit fires the rule, which then
 * REVIEWs or REJECTs the order, or in {@code shadow} mode only records that it would have.
 *
 * <p>{@code riskLevels} (empty: all) and {@code channelId} (null: all) say which orders the rule
 * watches; {@code newBuyerWithin} (buyer rules only) limits it to buyers first seen within that
 * time; {@code blockFor}, when set, also blocks the subject for that long when the rule acts.
 * {@code shadow} may be left out (false).
 */
public record RiskRule(String ruleId, Subject subject, Measure measure, Window window, long limit, Action action,
    Set<RiskLevel> riskLevels, String channelId, Duration newBuyerWithin, Duration blockFor, Boolean shadow,
    String reason) implements CborSerializable {

  /** The most distinct buyers, IPs or devices one profile tracks per window: limits above cannot be seen. */
  public static final int MAX_DISTINCT = 1000;

  public enum Subject { BUYER, IP, DEVICE }

  public enum Measure { ORDERS, UNITS, AMOUNT, DISTINCT_BUYERS, DISTINCT_IPS, DISTINCT_DEVICES }

  public enum Window {
    MINUTE(Duration.ofMinutes(1)),
    HOUR(Duration.ofHours(1)),
    DAY(Duration.ofDays(1));

    private final Duration length;

    Window(Duration length) {
      this.length = length;
    }

    public Duration length() {
      return length;
    }
  }

  public enum Action { REVIEW, REJECT }

  public RiskRule {
    Identifier.require("ruleId", ruleId);
    Objects.requireNonNull(subject, "subject is required");
    Objects.requireNonNull(measure, "measure is required");
    Objects.requireNonNull(window, "window is required");
    Objects.requireNonNull(action, "action is required");
    if (limit < 0) {
      throw new IllegalArgumentException("rule " + ruleId + ": limit must not be negative");
    }
    boolean distinct = measure == Measure.DISTINCT_BUYERS || measure == Measure.DISTINCT_IPS
        || measure == Measure.DISTINCT_DEVICES;
    if (distinct && limit >= MAX_DISTINCT) {
      throw new IllegalArgumentException("rule " + ruleId + ": a distinct count limit must be below " + MAX_DISTINCT);
    }
    if (measure == Measure.DISTINCT_BUYERS && subject == Subject.BUYER
        || (measure == Measure.DISTINCT_IPS || measure == Measure.DISTINCT_DEVICES) && subject != Subject.BUYER) {
      throw new IllegalArgumentException("rule " + ruleId + ": " + measure + " cannot be measured per " + subject);
    }
    shadow = Boolean.TRUE.equals(shadow);
    riskLevels = riskLevels == null || riskLevels.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(riskLevels));
    if (channelId != null) {
      Identifier.require("channelId", channelId);
    }
    if (newBuyerWithin != null && (subject != Subject.BUYER || newBuyerWithin.isNegative() || newBuyerWithin.isZero())) {
      throw new IllegalArgumentException("rule " + ruleId + ": newBuyerWithin is a positive duration on BUYER rules");
    }
    if (blockFor != null && (blockFor.isNegative() || blockFor.isZero() || blockFor.compareTo(Duration.ofDays(365)) > 0)) {
      throw new IllegalArgumentException("rule " + ruleId + ": blockFor is a positive duration of at most 365 days");
    }
    if (reason == null || !reason.matches("[A-Z][A-Z0-9_]{2,39}")) {
      throw new IllegalArgumentException("rule " + ruleId + ": reason is a code of 3-40 capitals, digits and _");
    }
  }

  /** Whether this rule watches an order of this channel for a SKU of this risk level. */
  public boolean watches(String orderChannelId, RiskLevel level) {
    return (riskLevels.isEmpty() || riskLevels.contains(level)) && (channelId == null || channelId.equals(orderChannelId));
  }
}
