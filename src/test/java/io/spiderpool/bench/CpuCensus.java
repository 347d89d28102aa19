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
   * CPU seconds so far of the threads of {@code pids}, summed over the processes by thread name
   * ({@code /proc/<pid>/task/<tid>/stat}; Linux keeps 15 characters of a name, digits become {@code
   * #} so that numbered threads of one kind add up). Threads that ended are not counted.
   */
  static Map<String, Double> threads(Collection<Long> pids) {
    Map<String, Double> out = new HashMap<>();
    for (long pid : pids) {
      try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
        for (Path t : tasks.toList()) {
          try {
            String stat = Files.readString(t.resolve("stat"));
            String name =
                stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d", "#");
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double secs = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
            out.merge(name, secs, Double::sum);
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
   * Prints the threads that used the most CPU between two {@link #threads} snapshots, in ms per
   * second per process ({@code processes} of them over {@code wallSeconds}).
   */
  static void printThreads(
      String title,
      Map<String, Double> before,
      Map<String, Double> after,
      double wallSeconds,
      int processes) {
    List<Map.Entry<String, Double>> d = new ArrayList<>();
    double total = 0;
    for (Map.Entry<String, Double> e : after.entrySet()) {
      double used = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      total += used;
      if (used > 0) {
        d.add(Map.entry(e.getKey(), used));
      }
    }
    d.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    System.out.printf(
        "  %s: %.2f s over %.1f s, %.1f ms per second per process (%d), by thread:%n",
        title, total, wallSeconds, 1000 * total / wallSeconds / processes, processes);
    for (Map.Entry<String, Double> e : d.subList(0, Math.min(12, d.size()))) {
      System.out.printf(
          "    %-18s %7.2f s  %5.1f %%  %6.1f ms/s per process%n",
          e.getKey(),
          e.getValue(),
          100 * e.getValue() / total,
          1000 * e.getValue() / wallSeconds / processes);
    }
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
