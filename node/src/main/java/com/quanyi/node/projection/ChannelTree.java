package com.quanyi.node.projection;

import com.quanyi.http.reporting.ReportingService.ChannelNode;
import com.quanyi.persistence.reporting.ChannelReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The channels in tree order, from the accounts projection's rows. */
final class ChannelTree {

  private ChannelTree() {}

  /**
   * Each parent before its children, siblings by id. A channel whose parent the projection has not
   * written yet is shown as a root rather than left out.
   */
  static List<ChannelNode> ordered(List<ChannelReport> rows) {
    Set<String> known = rows.stream().map(ChannelReport::channelId).collect(Collectors.toSet());
    Map<String, List<ChannelReport>> children = new HashMap<>();
    List<ChannelReport> roots = new ArrayList<>();
    for (ChannelReport row : rows) {
      if (row.parentId() == null || !known.contains(row.parentId())) {
        roots.add(row);
      } else {
        children.computeIfAbsent(row.parentId(), p -> new ArrayList<>()).add(row);
      }
    }
    List<ChannelNode> ordered = new ArrayList<>(rows.size());
    visit(roots, children, ordered);
    return ordered;
  }

  private static void visit(List<ChannelReport> siblings, Map<String, List<ChannelReport>> children,
      List<ChannelNode> ordered) {
    siblings.sort(Comparator.comparing(ChannelReport::channelId));
    for (ChannelReport row : siblings) {
      ordered.add(new ChannelNode(row.channelId(), row.name(), row.parentId(), row.depth(), row.balance(),
          row.currency()));
      visit(children.getOrDefault(row.channelId(), new ArrayList<>()), children, ordered);
    }
  }
}
