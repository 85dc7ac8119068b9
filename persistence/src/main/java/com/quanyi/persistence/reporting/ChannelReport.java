package com.quanyi.persistence.reporting;

/**
 * A channel in the reports, as of its account's event {@code seq}: where it sits in the channel
 * tree, and its account totals (deposited − debited + refunded = balance). Minor units.
 */
public record ChannelReport(String channelId, long seq, String name, String parentId, int depth, String currency,
    long deposited, long debited, long refunded, long balance, long entries) {

  public static ChannelReport unknown(String channelId) {
    return new ChannelReport(channelId, 0, null, null, 0, null, 0, 0, 0, 0, 0);
  }
}
