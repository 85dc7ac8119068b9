package com.quanyi.node.supplier.sim;

import java.time.Duration;

/**
 * How the simulated supplier treats the next top-ups. Rates are probabilities in [0, 1], drawn
 * per new top-up in this order: error, hang, late; a top-up none of them hits succeeds at once.
 *
 * @param latency added before every answer
 * @param errorRate answer 500 without topping up
 * @param hangRate top up, then answer only after {@code hang} (a client times out: ambiguous)
 * @param lateRate answer PROCESSING, then succeed {@code lateAfter} later
 * @param outOfStock answer FAILED OUT_OF_STOCK to every new top-up
 * @param lostRate answer 500 and top up nothing now, but top up {@code lateAfter} later: a request
 *     that reached the supplier after the caller had asked and been told "never received"
 */
public record SimulatedBehavior(Duration latency, double errorRate, double hangRate, Duration hang, double lateRate,
    Duration lateAfter, boolean outOfStock, double lostRate) {

  public static SimulatedBehavior healthy() {
    return new SimulatedBehavior(Duration.ZERO, 0, 0, Duration.ofSeconds(5), 0, Duration.ofMillis(500), false, 0);
  }

  public SimulatedBehavior withLost(double rate, Duration after) {
    return new SimulatedBehavior(latency, errorRate, hangRate, hang, lateRate, after, outOfStock, rate);
  }

  public SimulatedBehavior withLatency(Duration value) {
    return new SimulatedBehavior(value, errorRate, hangRate, hang, lateRate, lateAfter, outOfStock, lostRate);
  }

  public SimulatedBehavior withErrorRate(double value) {
    return new SimulatedBehavior(latency, value, hangRate, hang, lateRate, lateAfter, outOfStock, lostRate);
  }

  public SimulatedBehavior withHang(double rate, Duration value) {
    return new SimulatedBehavior(latency, errorRate, rate, value, lateRate, lateAfter, outOfStock, lostRate);
  }

  public SimulatedBehavior withLate(double rate, Duration after) {
    return new SimulatedBehavior(latency, errorRate, hangRate, hang, rate, after, outOfStock, lostRate);
  }

  public SimulatedBehavior withOutOfStock(boolean value) {
    return new SimulatedBehavior(latency, errorRate, hangRate, hang, lateRate, lateAfter, value, lostRate);
  }
}
