package com.quanyi.node.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.quanyi.http.reporting.ReportingService.ChannelNode;
import com.quanyi.persistence.reporting.ChannelReport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelTreeTest {

  private static ChannelReport row(String id, String parent, int depth) {
    return new ChannelReport(id, 1, "name of " + id, parent, depth, "CNY", 100, 0, 0, 100, 1);
  }

  @Test
  void eachParentComesBeforeItsChildrenAndSiblingsByIdWhateverOrderTheRowsCameIn() {
    List<ChannelReport> rows = new ArrayList<>(List.of(row("b-1", "b", 2), row("a-2", "a", 2), row("b", null, 1),
        row("a-1-x", "a-1", 3), row("a", null, 1), row("a-1", "a", 2)));
    List<String> order = ChannelTree.ordered(rows).stream().map(ChannelNode::channelId).toList();
    assertEquals(List.of("a", "a-1", "a-1-x", "a-2", "b", "b-1"), order);
  }

  @Test
  void aChannelWhoseParentIsNotProjectedYetIsShownAsARoot() {
    List<ChannelNode> tree = ChannelTree.ordered(new ArrayList<>(List.of(row("orphan", "not-yet", 2), row("a", null, 1))));
    assertEquals(List.of("a", "orphan"), tree.stream().map(ChannelNode::channelId).toList());
    assertEquals("not-yet", tree.get(1).parentId(), "its parent is still named");
    assertEquals(100, tree.get(0).balance());
  }
}
