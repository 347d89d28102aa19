#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Many nodes, one pool: hack/bench-throughput.sh's engine phase with 2, 4, 8 and 16 daemons (1000
# Pods into one 1000-address pool, 16 in flight per daemon, 600 warm-up allocations, daemons with
# -Xmx256m -XX:+UseSerialGC), one fresh control plane per row. Prints a Markdown table (pods/s,
# pool writes, 409s and pool GETs per allocation, Lease requests, p99, CPU per allocation, each
# daemon's CPU per second while allocating (the JIT compiler threads' share) and idle afterwards,
# failed ADDs, daemon RSS) and draws docs/scale.png with gnuplot (hack/setup.sh installs it).
# Each row's full output (CPU by process and by daemon thread, busy and idle) stays in the log
# directory printed at the end.
# Usage: hack/bench-scale.sh [daemon counts="2 4 8 16"] [pods=1000] [in flight per daemon=16]
# Environment: BENCH_WARMUP (600), BENCH_DAEMON_JAVA_OPTIONS (-Xmx256m -XX:+UseSerialGC),
# BENCH_SCALE_PNG (docs/scale.png), BENCH_SKIP_BUILD (set: use target/ as it is, packaged
# beforehand outside any lock).
set -euo pipefail
cd "$(dirname "$0")/.."
counts=${1:-2 4 8 16}
pods=${2:-1000}
inflight=${3:-16}
png=${BENCH_SCALE_PNG:-docs/scale.png}
export BENCH_WARMUP=${BENCH_WARMUP:-600}
export BENCH_DAEMON_JAVA_OPTIONS=${BENCH_DAEMON_JAVA_OPTIONS:--Xmx256m -XX:+UseSerialGC}
command -v gnuplot >/dev/null || { echo "gnuplot missing: run hack/setup.sh" >&2; exit 1; }
[[ -n ${BENCH_SKIP_BUILD:-} ]] || mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="target/classes:target/test-classes:$(cat target/bench.classpath)"
out=$(mktemp -d /tmp/bench-scale.XXXXXX)
for n in $counts; do
  echo "== $n daemons ($(date -u +%H:%M:%S), load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  java -Xmx1g -Dbench.warmup="$BENCH_WARMUP" -Dbench.daemonJavaOptions="$BENCH_DAEMON_JAVA_OPTIONS" \
    -cp "$cp" io.spiderpool.bench.ThroughputBench engine "$pods" "$inflight" "$n" >"$out/$n.log" 2>&1 \
    || { tail -40 "$out/$n.log" >&2; exit 1; }
  row=$(grep '^scale-row:' "$out/$n.log" | tail -1)
  [[ -n $row ]] || { tail -40 "$out/$n.log" >&2; echo "no scale-row for $n daemons" >&2; exit 1; }
  echo "$row $(cut -d' ' -f1 /proc/loadavg | sed 's/^/load=/')" >>"$out/rows"
done
# key=value pairs -> one whitespace-separated data line per row, for the table and gnuplot
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
echo "| daemons | pods/s | pool writes/alloc | 409s/alloc | pool GETs/alloc | Lease GETs (per s) | p99 ms | CPU ms/alloc (daemons) | CPU ms/s per daemon (JIT) / idle | failed ADDs | daemon RSS | load avg |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
: >"$out/data"
while read -r row; do
  row=${row#scale-row: }
  printf '| %s | %s | %s | %s | %s | %s (%s) | %s | %s (%s) | %s (%s) / %s | %s | %s–%s MiB | %s |\n' \
    "$(field "$row" daemons)" "$(field "$row" pods_s)" "$(field "$row" writes_alloc)" \
    "$(field "$row" conflicts_alloc)" "$(field "$row" gets_alloc)" "$(field "$row" lease_gets)" \
    "$(field "$row" lease_gets_s)" "$(field "$row" p99_ms)" "$(field "$row" cpu_ms_alloc)" \
    "$(field "$row" cpu_daemons_ms_alloc)" "$(field "$row" daemon_ms_s)" \
    "$(field "$row" daemon_jit_ms_s)" "$(field "$row" idle_daemon_ms_s)" "$(field "$row" failed)" \
    "$(field "$row" rss_min_mib)" "$(field "$row" rss_max_mib)" "$(field "$row" load)"
  echo "$(field "$row" daemons) $(field "$row" pods_s) $(field "$row" writes_alloc) $(field "$row" conflicts_alloc) $(field "$row" gets_alloc) $(field "$row" cpu_ms_alloc) $(field "$row" failed)" >>"$out/data"
done <"$out/rows"
gnuplot <<GP
set terminal pngcairo size 900,420 noenhanced
set output "$png"
set multiplot layout 1,2 title "one pool, $pods Pods, $inflight in flight per daemon (2-core machine, shared)"
set xlabel "daemons"
set logscale x 2
set key top left
set grid
set ylabel "per allocation"
plot "$out/data" using 1:3 with linespoints title "pool writes", \
     "$out/data" using 1:4 with linespoints title "409s", \
     "$out/data" using 1:5 with linespoints title "pool GETs"
set ylabel ""
plot "$out/data" using 1:2 with linespoints title "pods/s", \
     "$out/data" using 1:6 with linespoints title "CPU ms/alloc (all)", \
     "$out/data" using 1:7 with linespoints title "failed ADDs"
unset multiplot
GP
echo "chart: $png; logs: $out" >&2
