#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Bounded churn on the local control plane (run as root or any user that can run hack/k8s-up.sh):
# two `spiderpool daemon` processes, Pods created, allocated through the agent socket, deleted and
# released continuously; every round the checker of `spiderpool check` must find nothing in the
# soak's pool and namespace, and each daemon's heap after a full GC, RSS, threads and open files
# are printed (docs/reliability.md, "Soak"). Exit status 1 on any inconsistency or failed call.
# Usage: hack/soak.sh [seconds=1200] [seconds per round=180] [Pods alive per node=40]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx512m -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  io.spiderpool.bench.SoakRun "${1:-1200}" "${2:-180}" "${3:-40}"
