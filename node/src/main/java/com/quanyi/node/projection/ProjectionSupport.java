package com.quanyi.node.projection;

/** Small helpers the projection handlers share. */
final class ProjectionSupport {

  private ProjectionSupport() {}

  /** The entity id in a persistence id ("OrderProcess|ch~no" → "ch~no"). */
  static String entityId(String persistenceId) {
    return persistenceId.substring(persistenceId.indexOf('|') + 1);
  }
}
