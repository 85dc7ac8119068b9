package com.quanyi.node.bench;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Optional CPU profile of the measured part of a benchmark only (not the warmup), with
 * async-profiler (Maven Central {@code tools.profiler:async-profiler}) when
 * {@code -Dbench.asprof=<its jar>,<its libasyncProfiler.so>,<output file>} is set. Loaded by
 * reflection so that the build does not depend on it.
 */
final class BenchProfiler {

  private final Object profiler;
  private final String output;

  private BenchProfiler(Object profiler, String output) {
    this.profiler = profiler;
    this.output = output;
  }

  /** Starts profiling if asked to; otherwise a profiler that does nothing. */
  static BenchProfiler startIfAsked() throws Exception {
    String spec = System.getProperty("bench.asprof");
    if (spec == null || spec.isBlank()) {
      return new BenchProfiler(null, null);
    }
    String[] parts = spec.split(",");
    URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(parts[0]).toUri().toURL()},
        BenchProfiler.class.getClassLoader());
    Class<?> type = loader.loadClass("one.profiler.AsyncProfiler");
    Object profiler = type.getMethod("getInstance", String.class).invoke(null, parts[1]);
    execute(profiler, "start,event=itimer,interval=1ms");
    return new BenchProfiler(profiler, parts[2]);
  }

  void stop() throws Exception {
    if (profiler != null) {
      execute(profiler, "stop,file=" + output + ",collapsed");
      System.out.println("profile (collapsed stacks) written to " + output);
    }
  }

  private static void execute(Object profiler, String command) throws Exception {
    profiler.getClass().getMethod("execute", String.class).invoke(profiler, command);
  }
}
