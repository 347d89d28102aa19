#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmark of the "lowest free address" search on an IPv4 /8 and an IPv6 /64 with 100k
# allocations, next to the address-by-address walk Spiderpool does. Prints a table.
# Usage: hack/bench-lowest-free.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests test-compile
exec java -Xms512m -Xmx2g -cp target/classes:target/test-classes io.spiderpool.bench.LowestFreeBench "${1:-200}"
