// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TCP connections each process holds to the API server, sampled from {@code /proc}: a socket
 * inode among {@code /proc/<pid>/fd} that {@code /proc/net/tcp[6]} shows established to the API
 * server's port. Sampled every {@link #PERIOD_MS} ms during a phase, it tells how many connections
 * (each a TLS handshake) a process opened in the phase, not only how many it ended with; one that
 * lived shorter than a period can be missed, so the count is a lower bound.
 */
final class ApiConnections implements AutoCloseable {
  static final long PERIOD_MS = 200;

  private final int port;
  private final Map<String, Long> processes;
  private final Map<String, Set<Long>> atStart = new HashMap<>();
  private final Map<String, Set<Long>> seen = new HashMap<>();
  private final Map<String, Integer> peak = new HashMap<>();
  private Map<String, Set<Long>> last = Map.of();
  private final Thread sampler;
  private volatile boolean stop;

  /** Starts sampling the connections of {@code processes} (name to PID) to {@code serverUrl}. */
  ApiConnections(String serverUrl, Map<String, Long> processes) {
    this.port = URI.create(serverUrl).getPort();
    this.processes = new LinkedHashMap<>(processes);
    sample(true);
    this.sampler =
        new Thread(
            () -> {
              while (!stop) {
                try {
                  Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                  return;
                }
                sample(false);
              }
            },
            "api-connections");
    sampler.setDaemon(true);
    sampler.start();
  }

  private synchronized void sample(boolean first) {
    Set<Long> toServer = establishedInodes(port);
    Map<String, Set<Long>> now = new HashMap<>();
    processes.forEach(
        (name, pid) -> {
          Set<Long> own = socketInodes(pid);
          own.retainAll(toServer);
          now.put(name, own);
          seen.computeIfAbsent(name, n -> new HashSet<>()).addAll(own);
          peak.merge(name, own.size(), Math::max);
          if (first) {
            atStart.put(name, new HashSet<>(own));
          }
        });
    last = now;
  }

  /** Stops sampling, after one last sample. */
  @Override
  public void close() {
    stop = true;
    sampler.interrupt();
    try {
      sampler.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sample(false);
  }

  /** One line per process: connections at start, opened during the phase, peak, at end. */
  synchronized void print() {
    System.out.printf(
        "  connections to the API server (/proc, sampled every %d ms): at start / opened during /"
            + " peak / at end%n",
        PERIOD_MS);
    for (String name : processes.keySet()) {
      Set<Long> opened = new HashSet<>(seen.getOrDefault(name, Set.of()));
      opened.removeAll(atStart.getOrDefault(name, Set.of()));
      System.out.printf(
          "    %-30s %5d / %5d / %5d / %5d%n",
          name,
          atStart.getOrDefault(name, Set.of()).size(),
          opened.size(),
          peak.getOrDefault(name, 0),
          last.getOrDefault(name, Set.of()).size());
    }
  }

  private static Set<Long> socketInodes(long pid) {
    Set<Long> out = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            out.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException | RuntimeException closed) {
          // the descriptor was closed meanwhile
        }
      }
    } catch (IOException gone) {
      // the process ended
    }
    return out;
  }

  /** Inodes of established sockets whose remote port is {@code port} (IPv4 and IPv6 tables). */
  private static Set<Long> establishedInodes(int port) {
    Set<Long> out = new HashSet<>();
    String remote = String.format(":%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(table));
      } catch (IOException absent) {
        continue;
      }
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
        if (f.length > 9 && f[2].endsWith(remote) && f[3].equals("01")) {
          out.add(Long.parseLong(f[9]));
        }
      }
    }
    return out;
  }
}
