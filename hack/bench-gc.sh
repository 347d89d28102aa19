#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# IP GC latency on the local control plane: N Pods hold addresses allocated by the real engine, the
# controller role runs in-process, each Pod is deleted without any CNI DEL, and the time from the
# Pod's DELETE to the record leaving the pool (seen by a watch) is printed as median/p99/max.
# Usage: hack/bench-gc.sh [serial|burst|both] [pods=100]
#   serial: one Pod at a time, the next once the previous address is free (unloaded latency)
#   burst:  all Pods deleted at once from 8 threads (latency under a deletion storm)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  io.spiderpool.bench.GcLatencyBench "${1:-both}" "${2:-100}"
