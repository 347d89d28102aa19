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
  void heapInUseSumsEveryGenerationAndLeavesMetaspaceOut() {
    String serial =
        """
        14855:
         def new generation   total 116160K, used 20659K [0x0000000687400000, 0x000000068f200000)
          eden space 103296K,  20% used [0x0000000687400000, 0x000000068882cfb8)
          from space 12864K,   0% used [0x000000068d8e0000, 0x000000068d8e0000)
         tenured generation   total 258048K, used 31000K [0x0000000704d50000, 0x0000000714950000)
           the space 258048K,  12% used [0x0000000704d50000, 0x0000000704d50000)
         Metaspace       used 8949K, committed 9088K, reserved 1114112K
          class space    used 1063K, committed 1152K, reserved 1048576K
        """;
    String g1 =
        """
        2211:
         garbage-first heap   total 65536K, used 33120K [0x00000000c0000000, 0x0000000100000000)
          region size 1024K, 3 young (3072K), 0 survivors (0K)
         Metaspace       used 45000K, committed 45500K, reserved 1114112K
        """;
    assertThat(SoakRun.heapUsedKib(serial)).isEqualTo(20659 + 31000);
    assertThat(SoakRun.heapUsedKib(g1)).isEqualTo(33120);
    assertThat(SoakRun.heapUsedKib("14855:\nNo such process\n")).isEqualTo(-1);
  }

  @Test
  void rssAloneNeverFailsTheVerdict() {
    assertThat(SoakRun.drift(Map.of("a", List.of(FIRST, new long[] {30_000, 900_000, 107, 182}))))
        .isZero();
  }
}
