#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# How long the controller role is without a holder when its holder goes away, on the local
# control plane (the ITs assert only the design's bounds; this prints the figures).
# Usage: hack/bench-election.sh [cut|process|both] [rounds=5]
#   cut:     two in-process candidates (lease 3 s, renew deadline 2 s, retry 0.5 s); the holder's
#            Lease requests hang: cut -> its fence closed, cut -> the other holds the role; then a
#            graceful close -> the other holds the role
#   process: two packaged daemons (lease 15 s, retry 2 s): SIGKILL of the holder -> the other holds
#            the Lease; SIGTERM of that one -> the Lease is released
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  io.spiderpool.bench.ElectionBench "${1:-both}" "${2:-5}"
