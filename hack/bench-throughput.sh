#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmark of the allocation engine on the local control plane (run as root or any user that can
# run hack/k8s-up.sh): N Pods over D `spiderpool daemon` processes into one N-address pool via
# the agents' socket API (pods/s, p50/p99 per allocation, pool status writes, 409s, duplicates),
# and the API server's own status-update rate on one object, the ceiling for any one-pool design.
# Usage: hack/bench-throughput.sh [engine|apiserver|both] [pods=1000] [in flight per daemon=32]
#                                 [daemons=2]
# Before measuring, the daemons warm up with BENCH_WARMUP (default 2000) allocations into a pool
# of their own (BENCH_WARMUP=0 measures cold daemons); the warm-up rate is printed too.
# BENCH_DAEMON_JAVA_OPTIONS go to the daemons' JVMs, {node} replaced by the node name (e.g.
# BENCH_DAEMON_JAVA_OPTIONS=-XX:StartFlightRecording=filename=/tmp/{node}.jfr to profile them).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx1g -Dbench.warmup="${BENCH_WARMUP:-2000}" -Dbench.daemonJavaOptions="${BENCH_DAEMON_JAVA_OPTIONS:-}" -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  io.spiderpool.bench.ThroughputBench "${1:-both}" "${2:-1000}" "${3:-32}" "${4:-2}"
