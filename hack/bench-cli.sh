#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# bench-cli.sh: start-up of the operator command line (docs/cli.md#start-up). Times, as whole
# processes on one local control plane (hack/k8s-up.sh), `spiderpool pool list` against `kubectl
# get spiderippools`, RUNS times each, interleaved, and prints the median wall time of each and
# their ratio, for several JVM settings of the spiderpool launch:
#   plain     java -jar quarkus-run.jar
#   c1        -XX:TieredStopAtLevel=1 (C1 only: no C2 compile threads for a short process)
#   c1+cds    the same plus an AppCDS archive (-XX:SharedArchiveFile) dumped by one training run
#             of `pool list` (-XX:ArchiveClassesAtExit); what bin/spiderpool in the image uses
# Usage: hack/bench-cli.sh [RUNS=20] [POOLS=10]
# Needs: target/quarkus-app (mvn -DskipTests package), the binaries of hack/k8s-build.sh.
set -euo pipefail
runs=${1:-20}
npools=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export SPIDERPOOL_CP_DIR=${SPIDERPOOL_CP_DIR:-/tmp/spiderpool-bench-cli-$$}
bin=$(hack/k8s-build.sh)
kubeconfig=$(hack/k8s-up.sh)
trap 'hack/k8s-down.sh >/dev/null 2>&1 || true; rm -f "$jsa"' EXIT
export KUBECONFIG=$kubeconfig
jsa=$(mktemp -u /tmp/spiderpool-bench-cli-XXXX.jsa)
"$bin/kubectl" apply -f target/kubernetes/ >/dev/null
"$bin/kubectl" wait --for=condition=Established crd --all --timeout=60s >/dev/null
for i in $(seq 1 "$npools"); do
  cat <<YAML
---
apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderIPPool
metadata: {name: bench-$i}
spec: {subnet: 10.9.$i.0/24, ips: [10.9.$i.10-10.9.$i.200]}
YAML
done | "$bin/kubectl" apply -f - >/dev/null
jar=target/quarkus-app/quarkus-run.jar
java -XX:TieredStopAtLevel=1 -XX:ArchiveClassesAtExit="$jsa" -jar "$jar" pool list >/dev/null 2>&1

ms() { # wall milliseconds of one run of "$@", output discarded; fails on a non-zero exit
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "bench-cli: failed: $*" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -A opts=(
  [plain]=""
  [c1]="-XX:TieredStopAtLevel=1"
  [c1+cds]="-XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=$jsa"
)
order=(plain c1 c1+cds)
tmp=$(mktemp -d)
for v in "${order[@]}" kubectl; do : >"$tmp/$v"; done
# one warm-up each, then RUNS rounds, every variant once per round (drift hits all alike)
ms "$bin/kubectl" get spiderippools >/dev/null
for v in "${order[@]}"; do
  # shellcheck disable=SC2086
  ms java ${opts[$v]} -jar "$jar" pool list >/dev/null
done
for _ in $(seq 1 "$runs"); do
  ms "$bin/kubectl" get spiderippools >>"$tmp/kubectl"
  for v in "${order[@]}"; do
    # shellcheck disable=SC2086
    ms java ${opts[$v]} -jar "$jar" pool list >>"$tmp/$v"
  done
done
k=$(median <"$tmp/kubectl")
printf 'bench-cli: %s runs each, %s pools, %s cores, load %s\n' "$runs" "$npools" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %8s %8s %8s %7s\n' command "min ms" "median" "max ms" ratio
row() {
  local name=$1 file=$2 med
  med=$(median <"$file")
  printf '%-34s %8s %8s %8s %6.2fx\n' "$name" "$(sort -n "$file" | head -1)" "$med" "$(sort -n "$file" | tail -1)" "$(echo "$med / $k" | bc -l)"
}
row "kubectl get spiderippools" "$tmp/kubectl"
for v in "${order[@]}"; do row "spiderpool pool list ($v)" "$tmp/$v"; done
rm -rf "$tmp"
