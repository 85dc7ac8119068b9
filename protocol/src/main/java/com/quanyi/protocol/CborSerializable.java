package com.quanyi.protocol;

/**
 * Marker for every message that crosses a node boundary or lands in the journal. Bound to
 * Pekko's Jackson CBOR serializer in {@code serialization.conf}; Java serialization is off.
 */
public interface CborSerializable {}
