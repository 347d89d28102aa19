// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soak's flatness verdict (hack/soak.sh, docs/reliability.md "Soak"). */
class SoakDriftTest {
  // heap-after-GC KiB, RSS KiB, threads, fds
  private static final long[] FIRST = {30_000, 310_000, 107, 182};

  @Test
  void steadyFiguresAndTheThreadsEndingAfterStartUpAreFlat() {
    assertThat(
            SoakRun.drift(
                Map.of("a", List.of(FIRST, new long[] {31_000, 330_000, 63, 178}, FIRST))))
        .isZero();
  }

  @Test
  void heapGrowingBeyondHalfPlusSlackIsOneInconsistencyPerDaemon() {
    long[] grown = {30_000 + 15_000 + SoakRun.HEAP_SLACK_KIB + 1, 310_000, 107, 182};
    long[] atBound = {30_000 + 15_000 + SoakRun.HEAP_SLACK_KIB, 310_000, 107, 182};
    assertThat(SoakRun.drift(Map.of("a", List.of(FIRST, grown)))).isEqualTo(1);
    assertThat(SoakRun.drift(Map.of("a", List.of(FIRST, atBound)))).isZero();
  }

  @Test
  void threadOrFileLeaksAndUnreadableFiguresAreNotFlat() {
    long[] threads = {30_000, 310_000, 107 + SoakRun.THREAD_SLACK + 1, 182};
    long[] fds = {30_000, 310_000, 107, 182 + SoakRun.FD_SLACK + 1};
    long[] gone = {-1, -1, -1, -1};
    assertThat(
            SoakRun.drift(
                Map.of(
                    "a",
                    List.of(FIRST, threads),
                    "b",
                    List.of(FIRST, fds),
                    "c",
                    List.of(FIRST, gone))))
        .isEqualTo(3);
  }

  @Test
  void theDaemonRunsWithTheChartsJvmOptionsAndEnvironment() throws Exception {
    Map<String, String> env = SoakRun.chartAgentEnv(Path.of("helm/spiderpool/values.yaml"));
    assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-Xmx");
    assertThat(env).containsKey("MALLOC_ARENA_MAX");
  }

  @Test
  void rssAloneNeverFailsTheVerdict() {
    assertThat(SoakRun.drift(Map.of("a", List.of(FIRST, new long[] {30_000, 900_000, 107, 182}))))
        .isZero();
  }
}
