package com.quanyi.protocol.inventory;

import com.quanyi.protocol.Identifier;
import com.quanyi.protocol.Money;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a SKU is, as the catalog knows it. Validated once here, so nothing downstream re-checks.
 *
 * @param maxPerBuyer units one buyer may hold of this SKU; {@link #UNLIMITED} when no limit
 * @param accountPattern for a DIRECT_TOPUP SKU, the regular expression a recharge account must
 *     match in full (e.g. a mainland mobile number), or null to accept any
 * @param parts for a BUNDLE, what one bundle is made of (card-code and top-up SKUs, each SKU once, at
 *     least one card-code part); null for every other kind
 */
public record SkuDefinition(
    String skuId,
    String name,
    SkuKind kind,
    Money faceValue,
    Money listPrice,
    RiskLevel riskLevel,
    int maxPerBuyer,
    SkuStatus status,
    long lowStockThreshold,
    String accountPattern,
    List<BundlePart> parts) {

  public static final int UNLIMITED = 0;
  public static final int MAX_NAME_LENGTH = 200;
  public static final int MAX_PER_BUYER_LIMIT = 1_000_000;
  public static final int MAX_PATTERN_LENGTH = 200;
  public static final int MAX_PARTS = 10;

  public SkuDefinition {
    Identifier.require("skuId", skuId);
    requireName(name);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(faceValue, "faceValue");
    Objects.requireNonNull(listPrice, "listPrice");
    Objects.requireNonNull(riskLevel, "riskLevel");
    Objects.requireNonNull(status, "status");
    if (!faceValue.sameCurrency(listPrice)) {
      throw new IllegalArgumentException("faceValue and listPrice must be in the same currency");
    }
    if (maxPerBuyer != UNLIMITED && (maxPerBuyer < 1 || maxPerBuyer > MAX_PER_BUYER_LIMIT)) {
      throw new IllegalArgumentException("maxPerBuyer must be between 1 and " + MAX_PER_BUYER_LIMIT);
    }
    if (lowStockThreshold < 0 || lowStockThreshold > 1_000_000_000L) {
      throw new IllegalArgumentException("lowStockThreshold must be between 0 (no alert) and 1000000000");
    }
    if (accountPattern != null) {
      if (kind != SkuKind.DIRECT_TOPUP) {
        throw new IllegalArgumentException("accountPattern belongs to DIRECT_TOPUP SKUs only");
      }
      if (accountPattern.isEmpty() || accountPattern.length() > MAX_PATTERN_LENGTH) {
        throw new IllegalArgumentException("accountPattern must be 1-" + MAX_PATTERN_LENGTH + " characters");
      }
      try {
        Pattern.compile(accountPattern);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("accountPattern is not a valid regular expression");
      }
    }
    parts = kind == SkuKind.BUNDLE ? validParts(skuId, parts, maxPerBuyer, lowStockThreshold) : noParts(parts);
  }

  /**
   * A bundle holds no stock of its own: its parts' inventories allocate, and their limits and
   * low-stock alerts apply. Settings that would be silently ignored on the bundle are refused.
   */
  private static List<BundlePart> validParts(String skuId, List<BundlePart> parts, int maxPerBuyer,
      long lowStockThreshold) {
    if (parts == null || parts.isEmpty() || parts.size() > MAX_PARTS) {
      throw new IllegalArgumentException("a BUNDLE needs parts: 1 to " + MAX_PARTS + " of {skuId, quantity}");
    }
    Set<String> seen = new HashSet<>();
    for (BundlePart part : parts) {
      Objects.requireNonNull(part, "parts[]");
      if (part.skuId().equals(skuId)) {
        throw new IllegalArgumentException("a bundle cannot be a part of itself");
      }
      if (!seen.add(part.skuId())) {
        throw new IllegalArgumentException("part " + part.skuId() + " is named twice; give its quantity once");
      }
    }
    if (parts.stream().filter(BundlePart::topup).count() > 1
        && parts.stream().anyMatch(p -> p.onFailure() == TopupFailure.REFUND_BUNDLE)) {
      // Its top-up parts are topped up in turn: when a later one fails, an earlier one is topped up
      // already and cannot be taken back, so the bundle is never refunded whole.
      throw new IllegalArgumentException("REFUND_BUNDLE is for a bundle with one top-up part; with several, each "
          + "failed part refunds its share (REFUND_PART)");
    }
    if (parts.stream().allMatch(BundlePart::topup)) {
      throw new IllegalArgumentException("a bundle has at least one card-code part");
    }
    if (maxPerBuyer != UNLIMITED) {
      throw new IllegalArgumentException("maxPerBuyer is not enforced on a BUNDLE; set it on its parts");
    }
    if (lowStockThreshold != 0) {
      throw new IllegalArgumentException("lowStockThreshold is not watched on a BUNDLE; set it on its parts");
    }
    return List.copyOf(parts);
  }

  private static List<BundlePart> noParts(List<BundlePart> parts) {
    if (parts != null && !parts.isEmpty()) {
      throw new IllegalArgumentException("parts belong to BUNDLE SKUs only");
    }
    return null;
  }

  public SkuDefinition(String skuId, String name, SkuKind kind, Money faceValue, Money listPrice, RiskLevel riskLevel,
      int maxPerBuyer, SkuStatus status, long lowStockThreshold, String accountPattern) {
    this(skuId, name, kind, faceValue, listPrice, riskLevel, maxPerBuyer, status, lowStockThreshold, accountPattern,
        null);
  }

  public SkuDefinition(String skuId, String name, SkuKind kind, Money faceValue, Money listPrice, RiskLevel riskLevel,
      int maxPerBuyer, SkuStatus status, long lowStockThreshold) {
    this(skuId, name, kind, faceValue, listPrice, riskLevel, maxPerBuyer, status, lowStockThreshold, null, null);
  }

  /** Whether a recharge account may be topped up through this SKU. */
  public boolean acceptsAccount(String account) {
    return account != null && (accountPattern == null || Pattern.matches(accountPattern, account));
  }

  /** The definition with a patch applied; only the fields the patch carries change. */
  public SkuDefinition patched(SkuPatch patch) {
    return new SkuDefinition(skuId,
        patch.name() != null ? patch.name() : name,
        kind,
        faceValue,
        patch.listPrice() != null ? patch.listPrice() : listPrice,
        patch.riskLevel() != null ? patch.riskLevel() : riskLevel,
        patch.maxPerBuyer() != null ? patch.maxPerBuyer() : maxPerBuyer,
        patch.status() != null ? patch.status() : status,
        patch.lowStockThreshold() != null ? patch.lowStockThreshold() : lowStockThreshold,
        accountPattern,
        parts);
  }

  static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("name must be at most " + MAX_NAME_LENGTH + " characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("name must not contain control characters");
    }
  }

  public boolean isListed() {
    return status == SkuStatus.LISTED;
  }

  /** The bundle with these parts (the same parts, their kinds known). */
  public SkuDefinition withParts(List<BundlePart> newParts) {
    return new SkuDefinition(skuId, name, kind, faceValue, listPrice, riskLevel, maxPerBuyer, status, lowStockThreshold,
        accountPattern, newParts);
  }

  public boolean isBundle() {
    return kind == SkuKind.BUNDLE;
  }

  public boolean limitsBuyers() {
    return maxPerBuyer != UNLIMITED;
  }
}
