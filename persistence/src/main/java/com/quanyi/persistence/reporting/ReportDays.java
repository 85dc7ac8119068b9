package com.quanyi.persistence.reporting;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Which business day an instant falls on: reports count days in one zone (Asia/Shanghai by default). */
public record ReportDays(ZoneId zone) {

  public LocalDate dayOf(Instant at) {
    return at.atZone(zone).toLocalDate();
  }

  public Instant startOf(LocalDate day) {
    return day.atStartOfDay(zone).toInstant();
  }
}
