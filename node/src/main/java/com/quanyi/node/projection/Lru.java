package com.quanyi.node.projection;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map that forgets its least recently used entry beyond a bound: a projection handler's cache. */
final class Lru<K, V> extends LinkedHashMap<K, V> {

  private final int bound;

  Lru(int bound) {
    super(16, 0.75f, true);
    this.bound = bound;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > bound;
  }
}
