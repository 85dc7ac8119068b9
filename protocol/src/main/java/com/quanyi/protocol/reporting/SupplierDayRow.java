package com.quanyi.protocol.reporting;

import java.time.LocalDate;

/**
 * A supplier's top-ups on one day: submitted (attempts sent to it), succeeded, failed (it said no,
 * or never received it), undecided (handed to operators; an operator's later decision counts as
 * succeeded or failed on that day), and what the succeeded ones cost. Minor units.
 */
public record SupplierDayRow(LocalDate day, String supplierId, long submitted, long succeeded, long failed,
    long undecided, long cost, String currency) {

  public SupplierDayRow plus(SupplierDayRow o) {
    return new SupplierDayRow(day, supplierId, submitted + o.submitted, succeeded + o.succeeded, failed + o.failed,
        undecided + o.undecided, cost + o.cost, currency != null ? currency : o.currency);
  }
}
