package com.quanyi.protocol.risk;

import com.quanyi.protocol.CborSerializable;
import com.quanyi.protocol.Identifier;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the block or allow list. {@code value} is a buyer ({@code channelId/userId}), an IP
 * address or CIDR range, a device id, or a recharge account; {@code expiresAt} null means until
 * removed. A blocked subject is rejected; an allowed one skips the velocity rules of its profile
 * (it is still counted). A block wins over an allow.
 */
public record ListEntry(String entryId, Kind list, ListSubject subject, String value, Instant expiresAt, String reason,
    String addedBy, Instant addedAt) implements CborSerializable {

  public enum Kind { BLOCK, ALLOW }

  public enum ListSubject { BUYER, IP, DEVICE, RECHARGE_ACCOUNT }

  public ListEntry {
    Identifier.require("entryId", entryId);
    Objects.requireNonNull(list, "list is required");
    Objects.requireNonNull(subject, "subject is required");
    if (value == null || value.isBlank() || value.length() > 260 || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("value must be 1-260 characters without control characters");
    }
    if (subject == ListSubject.IP) {
      value = IpRange.parse(value).toString();
    }
    if (subject == ListSubject.BUYER && value.indexOf('/') < 1) {
      throw new IllegalArgumentException("a buyer is written channelId/userId");
    }
    if (reason != null && (reason.length() > 200 || reason.chars().anyMatch(Character::isISOControl))) {
      throw new IllegalArgumentException("reason must be at most 200 characters without control characters");
    }
  }

  public boolean liveAt(Instant now) {
    return expiresAt == null || expiresAt.isAfter(now);
  }
}
