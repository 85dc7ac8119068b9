package com.quanyi.protocol.inventory;

import com.quanyi.protocol.CborSerializable;

/** Units of a SKU (or a batch): ready to allocate, allocated to orders, held by a frozen batch. */
public record StockView(long available, long allocated, long frozen) implements CborSerializable {}
