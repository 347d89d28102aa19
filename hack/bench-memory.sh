#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A node daemon's memory on a populated cluster (local control plane): 10,000 Pods (1,000 on the
# daemon's node), 200 pools holding their records, 10,000 SpiderEndpoints; per JVM option set a
# daemon serves 100 ADDs and its RSS and threads are printed, then the controller-role holder's.
# Usage: hack/bench-memory.sh [pods=10000] [on the node=1000] [pools=200] [smaller]: with smaller
# (e.g. 5000), the role holder is measured first on that many Pods and endpoints, then all on pods.
# BENCH_MEMORY_OPTIONS: JVM option sets separated by '|'; BENCH_MEMORY_ROLE_OPTIONS: the role
# holder's, sets separated by '|' too (default: the last set);
# An option set may begin with jar=PATH (that set runs another build's quarkus-run.jar) and/or
# java=JDK_HOME (that set's daemon runs on that JDK, e.g. /usr/lib/jvm/temurin-25-jdk-amd64; its
# jcmd makes the dumps). A set with -XX:ArchiveClassesAtExit or -XX:AOTCacheOutput is a training
# run: its daemon is stopped gracefully so the archive is written, for a later set to map.
# BENCH_MEMORY_ENV: the daemons' extra environment, K=V,K=V (e.g. MALLOC_ARENA_MAX=2). The daemons
# serve the admission webhooks, as the chart's do, unless it says SPIDERPOOL_WEBHOOK_ENABLED=false.
# BENCH_MEMORY_DUMP=DIR: after each measurement, jcmd's native memory summary (add
# -XX:NativeMemoryTracking=summary to the options), heap, class histogram and threads into DIR,
# and prints the live heap (the histogram's total, after its full GC) and the RSS after that GC.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx1g ${BENCH_MEMORY_OPTIONS:+"-Dbench.memory.options=$BENCH_MEMORY_OPTIONS"} \
  ${BENCH_MEMORY_ENV:+"-Dbench.memory.env=$BENCH_MEMORY_ENV"} \
  ${BENCH_MEMORY_DUMP:+"-Dbench.memory.dump=$BENCH_MEMORY_DUMP"} \
  ${BENCH_MEMORY_ROLE_OPTIONS:+"-Dbench.memory.roleOptions=$BENCH_MEMORY_ROLE_OPTIONS"} \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  io.spiderpool.bench.MemoryBench "${1:-10000}" "${2:-1000}" "${3:-200}" "${4:-0}"
