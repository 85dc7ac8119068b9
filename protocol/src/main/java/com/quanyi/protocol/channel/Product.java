package com.quanyi.protocol.channel;

import com.quanyi.protocol.Money;
import com.quanyi.protocol.inventory.SkuKind;

/** A SKU as one channel sees it: at that channel's price, with whether it can be ordered now. */
public record Product(String skuId, String name, SkuKind kind, Money faceValue, Money price, boolean available) {}
