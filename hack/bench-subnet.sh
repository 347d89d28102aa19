#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SpiderSubnet latencies on the local control plane, with the controller role and a node's engine
# in-process (see docs/subnet.md, "Latency"):
#   resize:    a Deployment's replicas changed N times; replicas update -> auto-pool resized (watch)
#   first-add: M new Deployments; ADD of each one's first Pod, which waits for its pool to be made
# Prints median/p99/max of each.
# Usage: hack/bench-subnet.sh [resizes=100] [applications=100]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  io.spiderpool.bench.SubnetBench "${1:-100}" "${2:-100}"
