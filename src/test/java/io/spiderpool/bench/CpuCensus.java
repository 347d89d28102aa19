// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time (user + system, from {@code /proc/<pid>/stat}) of the processes a benchmark runs on:
 * read before and after a phase, the difference says which process the box's cores went to.
 */
final class CpuCensus {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private CpuCensus() {}

  /** CPU seconds so far of the named processes; names map to PIDs. */
  static Map<String, Double> snapshot(Map<String, Long> processes) {
    Map<String, Double> out = new LinkedHashMap<>();
    processes.forEach((name, pid) -> out.put(name, cpuSeconds(pid)));
    return out;
  }

  /** The PIDs of the control plane: every process whose command name is kube-apiserver or etcd. */
  static Map<String, Long> controlPlane() {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .forEach(
              p -> {
                try {
                  String comm = Files.readString(p.resolve("comm")).trim();
                  if (comm.equals("kube-apiserver") || comm.equals("etcd")) {
                    out.put(comm, Long.parseLong(p.getFileName().toString()));
                  }
                } catch (IOException | RuntimeException gone) {
                  // the process ended meanwhile
                }
              });
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return out;
  }

  static void print(
      Map<String, Double> before, Map<String, Double> after, double wallSeconds, int allocations) {
    System.out.printf("  CPU during the measurement (/proc/<pid>/stat):%n");
    double total = 0;
    for (Map.Entry<String, Double> e : after.entrySet()) {
      double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      total += d;
      System.out.printf(
          "    %-30s %7.2f s  %5.0f %% of one core  %6.2f ms per allocation%n",
          e.getKey(), d, 100 * d / wallSeconds, 1000 * d / allocations);
    }
    System.out.printf(
        "    %-30s %7.2f s  %5.0f %% of one core  %6.2f ms per allocation (%d cores)%n",
        "all",
        total,
        100 * total / wallSeconds,
        1000 * total / allocations,
        Runtime.getRuntime().availableProcessors());
  }

  /**
   * CPU seconds of this JVM's children that have ended and been waited for ({@code cutime + cstime}
   * of {@code /proc/self/stat}): the plugin processes a benchmark ran, which are gone by the time
   * one could read their own counters.
   */
  static double reapedChildrenSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields after the command: ... utime(11) stime(12) cutime(13) cstime(14)
      return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/stat", e);
    }
  }

  /**
   * CPU seconds so far of each thread of {@code pids} ({@code /proc/<pid>/task/<tid>/stat}), keyed
   * {@code "<pid>/<tid> <name>"}; in the name (Linux keeps 15 characters) digits become {@code #}
   * so that numbered threads of one kind add up, except in the JIT's {@code C1}/{@code C2}.
   */
  static Map<String, Double> threads(Collection<Long> pids) {
    Map<String, Double> out = new HashMap<>();
    for (long pid : pids) {
      try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
        for (Path t : tasks.toList()) {
          try {
            String stat = Files.readString(t.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            name =
                name.startsWith("C1 ") || name.startsWith("C2 ")
                    ? name.substring(0, 3) + name.substring(3).replaceAll("\\d", "#")
                    : name.replaceAll("\\d", "#");
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double secs = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
            out.put(pid + "/" + t.getFileName() + " " + name, secs);
          } catch (IOException | RuntimeException gone) {
            // the thread ended meanwhile
          }
        }
      } catch (IOException | RuntimeException gone) {
        // the process ended meanwhile
      }
    }
    return out;
  }

  /**
   * Prints by thread name what {@code processes} processes used between two {@link #threads}
   * snapshots, in ms per second per process over {@code wallSeconds}. {@code processSeconds} is
   * their total from {@code /proc/<pid>/stat}; what no live thread accounts for was used by threads
   * that ended in between. Returns the milliseconds per second per process of the compiler threads.
   */
  static double printThreads(
      String title,
      Map<String, Double> before,
      Map<String, Double> after,
      double processSeconds,
      double wallSeconds,
      int processes) {
    Map<String, Double> byName = new HashMap<>();
    double counted = 0;
    for (Map.Entry<String, Double> e : after.entrySet()) {
      double used = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      counted += used;
      byName.merge(e.getKey().substring(e.getKey().indexOf(' ') + 1), used, Double::sum);
    }
    byName.merge("(threads that ended)", Math.max(0, processSeconds - counted), Double::sum);
    List<Map.Entry<String, Double>> d = new ArrayList<>(byName.entrySet());
    d.removeIf(e -> e.getValue() <= 0);
    d.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    System.out.printf(
        "  %s: %.2f s over %.1f s, %.1f ms per second per process (%d), by thread:%n",
        title,
        processSeconds,
        wallSeconds,
        1000 * processSeconds / wallSeconds / processes,
        processes);
    for (Map.Entry<String, Double> e : d.subList(0, Math.min(12, d.size()))) {
      System.out.printf(
          "    %-20s %7.2f s  %5.1f %%  %6.1f ms/s per process%n",
          e.getKey(),
          e.getValue(),
          100 * e.getValue() / Math.max(1e-9, processSeconds),
          1000 * e.getValue() / wallSeconds / processes);
    }
    double jit =
        byName.entrySet().stream()
            .filter(e -> e.getKey().startsWith("C1 ") || e.getKey().startsWith("C2 "))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    return 1000 * jit / wallSeconds / processes;
  }

  /** The summed CPU seconds of {@code processes} (a {@link #snapshot}) whose name starts so. */
  static double sum(Map<String, Double> snapshot, String prefix) {
    return snapshot.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields after the command: state(0) ... utime(11) stime(12)
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
