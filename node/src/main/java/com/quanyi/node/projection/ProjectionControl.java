package com.quanyi.node.projection;

import com.quanyi.node.Replies;
import com.quanyi.http.reporting.ReportingService.InstanceInfo;
import com.quanyi.http.reporting.ReportingService.ProjectionInfo;
import com.quanyi.persistence.reporting.ProjectionStatusStore.InstanceStatus;
import com.quanyi.persistence.reporting.ProjectionStatusStore;
import com.quanyi.persistence.reporting.Stages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.ProjectionManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status, pause, resume and rebuild of the reporting projections, wherever their instances run
 * (Pekko's projection management reaches them through the cluster, and a pause is stored, so an
 * instance restarted elsewhere stays paused). A rebuild pauses every instance, empties the
 * projection's tables, clears its offsets and resumes: it then reads its tags from the start.
 */
public final class ProjectionControl {

  private static final Logger log = LoggerFactory.getLogger(ProjectionControl.class);

  private final ProjectionManagement management;
  private final ProjectionStatusStore statuses;
  private final int tags;
  /**
   * Where the continuations of projection management's answers run: they are Scala futures
   * converted, whose stages otherwise start a thread each on two cores (see Replies). The alert
   * watch reads every instance's state every few seconds: 20 threads a time, seen in the benchmark.
   */
  private final Executor dispatcher;

  public ProjectionControl(ActorSystem<?> system, ProjectionStatusStore statuses, int tags) {
    this.dispatcher = Replies.dispatcher(system);
    this.management = ProjectionManagement.get(system);
    this.statuses = statuses;
    this.tags = tags;
  }

  public CompletionStage<List<ProjectionInfo>> all() {
    List<CompletionStage<ProjectionInfo>> each = new ArrayList<>();
    for (ReportingProjections.Definition definition : ReportingProjections.ALL) {
      each.add(info(definition));
    }
    return Stages.sequence(each);
  }

  /** {@code action}: pause, resume or rebuild. Empty when there is no such projection. */
  public CompletionStage<Optional<ProjectionInfo>> control(String name, String action, String actor) {
    Optional<ReportingProjections.Definition> found = ReportingProjections.ALL.stream()
        .filter(d -> d.name().equals(name)).findFirst();
    if (found.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    ReportingProjections.Definition definition = found.get();
    log.info("Projection {}: {} by {}", name, action, actor);
    CompletionStage<Done> done = switch (action) {
      case "pause" -> forEachTag(definition, id -> Replies.on(dispatcher, management.pause(id)));
      case "resume" -> forEachTag(definition, id -> Replies.on(dispatcher, management.resume(id)));
      case "rebuild" -> forEachTag(definition, id -> Replies.on(dispatcher, management.pause(id)))
          .thenCompose(paused -> statuses.truncate(definition.tables()))
          .thenCompose(emptied -> forEachTag(definition, id -> Replies.on(dispatcher, management.clearOffset(id))))
          .thenCompose(cleared -> forEachTag(definition, id -> Replies.on(dispatcher, management.resume(id))));
      default -> throw new IllegalArgumentException("action is pause, resume or rebuild");
    };
    return done.thenCompose(d -> info(definition)).thenApply(Optional::of);
  }

  private CompletionStage<Done> forEachTag(ReportingProjections.Definition definition,
      Function<ProjectionId, CompletionStage<Done>> operation) {
    CompletionStage<Done> all = CompletableFuture.completedFuture(Done.getInstance());
    for (int i = 0; i < tags; i++) {
      ProjectionId id = ReportingProjections.id(definition.name(), EventTags.tag(definition.tagKind(), i));
      all = all.thenCompose(previous -> operation.apply(id));
    }
    return all;
  }

  private CompletionStage<ProjectionInfo> info(ReportingProjections.Definition definition) {
    return statuses.of(definition.name()).thenCompose(reported -> {
      Map<String, InstanceStatus> byTag = reported.stream()
          .collect(Collectors.toMap(InstanceStatus::tag, s -> s, (a, b) -> a));
      List<CompletionStage<InstanceInfo>> instances = new ArrayList<>();
      for (int i = 0; i < tags; i++) {
        String tag = EventTags.tag(definition.tagKind(), i);
        InstanceStatus s = byTag.get(tag);
        instances.add(Replies.on(dispatcher, management.isPaused(ReportingProjections.id(definition.name(), tag)))
            .thenApply(paused ->
            s == null ? new InstanceInfo(tag, paused, 0, null, null, 0, null, null, null)
                : new InstanceInfo(tag, paused, s.events(), s.lastEventAt(), s.lastProcessedAt(), s.lagMillis(),
                    s.lastError(), s.errorAt(), s.node())));
      }
      return Stages.sequence(instances)
          .thenApply(list -> new ProjectionInfo(definition.name(), definition.tables(), list));
    });
  }
}
