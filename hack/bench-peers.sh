#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# bench-peers.sh: the same allocation workload for spiderpool and for whereabouts, side by side on
# one local control plane (hack/k8s-up.sh via the Java harness), and the CNI ADD latency of each
# plugin as a process next to host-local. See docs/performance.md ("Side by side with the peers").
#
#   spiderpool   two `spiderpool daemon` processes driven through the agents' socket API (what the
#                plugin sends), one pool of N addresses
#   whereabouts  its CNI plugin binary, one process per ADD (its only form: no daemon), one range
#                of N addresses, its own CRDs installed from its module source
#
# whereabouts is built on first use from the Go module github.com/k8snetworkplumbingwg/whereabouts
# (package cmd, the plugin binary) into a cache keyed by version, outside the repository:
#   ${SPIDERPOOL_PEERS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spiderpool/peers}/whereabouts-<version>/
#     whereabouts   the plugin
#     crds/         the CRDs of that version (doc/crds of the module)
# Later runs reuse it (--build-only builds and prints the directory; --force rebuilds).
#
# Usage: hack/bench-peers.sh [pods=1000] [in flight=64] [CNI ADD runs per plugin=30]
#        hack/bench-peers.sh --build-only [--force]
# Environment: WHEREABOUTS_VERSION (default below), HOST_LOCAL (default /usr/lib/cni/host-local),
#   BENCH_DAEMON_JVM (chart: our daemons with the chart's node daemon JVM options, as installed —
#   the default; default: the JVM's own defaults), BENCH_WARMUP (default 600),
#   SPIDERPOOL_BUILD_JOBS (go build -p, default 2), GO (go command).
# Run it under the shared lock when other tests may start control planes:
#   flock /tmp/spiderpool-e2e.lock hack/bench-peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# v0.9.2: the newest v0.9.x the module proxy serves here.
wb_version=${WHEREABOUTS_VERSION:-v0.9.2}
wb_module=github.com/k8snetworkplumbingwg/whereabouts
base=${SPIDERPOOL_PEERS_DIR:-${XDG_CACHE_HOME:-${HOME}/.cache}/spiderpool/peers}
out=${base}/whereabouts-${wb_version}
go=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
jobs=${SPIDERPOOL_BUILD_JOBS:-2}
log() { printf 'bench-peers: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# Run without CNI_COMMAND, the plugin prints its own version line; a cached binary counts only if
# it names the pinned version, so a changed WHEREABOUTS_VERSION never reuses the wrong build.
whereabouts_ok() {
  local v
  [[ -x ${out}/whereabouts && -f ${out}/crds/whereabouts.cni.cncf.io_ippools.yaml ]] || return 1
  v=$(env -u CNI_COMMAND "${out}/whereabouts" </dev/null 2>&1) || return 1
  [[ ${v} == *"whereabouts ${wb_version}"* ]]
}

build_whereabouts() {
  [[ -x ${go} ]] || command -v "${go}" >/dev/null || die "no go toolchain; set GO=/path/to/go"
  local work=${base}/.work/whereabouts-${wb_version} staging dir
  log "building whereabouts ${wb_version} in ${work}"
  rm -rf "${work}"
  mkdir -p "${work}" "${base}"
  staging=$(mktemp -d "${base}/.build.XXXXXX")
  (
    cd "${work}"
    "${go}" mod init spiderpool.invalid/peers-build >/dev/null 2>&1
    # a wrapper module (like hack/k8s-build.sh): the plugin's own go.mod carries a replace
    # directive, which `go install pkg@version` refuses
    "${go}" get -tool "${wb_module}/cmd@${wb_version}"
    "${go}" mod tidy
    CGO_ENABLED=0 "${go}" build -p "${jobs}" -trimpath \
      -ldflags "-s -w -X ${wb_module}/pkg/version.Version=${wb_version} -X ${wb_module}/pkg/version.GitTreeState=clean -X ${wb_module}/pkg/version.ReleaseStatus=released" \
      -o "${staging}/whereabouts" "${wb_module}/cmd"
    dir=$("${go}" list -m -f '{{.Dir}}' "${wb_module}")
    mkdir -p "${staging}/crds"
    cp "${dir}"/doc/crds/whereabouts.cni.cncf.io_*.yaml "${staging}/crds/"
    chmod -R u+w "${staging}/crds"
  )
  chmod 755 "${staging}"
  rm -rf "${out}"
  mv "${staging}" "${out}"
  whereabouts_ok || die "built ${out}/whereabouts does not report whereabouts ${wb_version}"
  log "built ${out}/whereabouts ($(env -u CNI_COMMAND "${out}/whereabouts" </dev/null 2>&1 | head -1))"
}

build_only=false
force=false
args=()
for a in "$@"; do
  case ${a} in
    --build-only) build_only=true ;;
    --force) force=true ;;
    -*) die "usage: $0 [pods] [in flight] [CNI runs] | --build-only [--force]" ;;
    *) args+=("${a}") ;;
  esac
done
mkdir -p "${base}"
# one build at a time per cache
exec 9>"${base}/.lock"
flock 9
if [[ ${force} == true ]] || ! whereabouts_ok; then build_whereabouts; fi
flock -u 9
if [[ ${build_only} == true ]]; then
  printf '%s\n' "${out}"
  exit 0
fi

hostlocal=${HOST_LOCAL:-/usr/lib/cni/host-local}
[[ -x ${hostlocal} ]] || log "no ${hostlocal} (apt-get install containernetworking-plugins): its CNI row is left out"
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
# our plugin as a node has it: the image's payload put into a CNI bin dir by the image's own
# install.sh (as hack/bench-cni.sh does; hack/image.sh stages it when missing)
if [[ ! -d target/image/app/opt/spiderpool/cni || ! -d target/image/base/opt/spiderpool/cni/runtime ]]; then
  hack/image.sh >&2
fi
work=$(mktemp -d /tmp/bench-peers.XXXXXX)
trap 'rm -rf "${work}"' EXIT
mkdir -p "${work}/image-cni" "${work}/cni-bin"
cp -a target/image/base/opt/spiderpool/cni/. target/image/app/opt/spiderpool/cni/. "${work}/image-cni/"
"${work}/image-cni/install.sh" "${work}/cni-bin" >&2
java -Xmx1g -Dbench.whereabouts="${out}" -Dbench.installedPlugin="${work}/cni-bin/spiderpool" \
  -Dbench.hostLocal="${hostlocal}" -Dbench.warmup="${BENCH_WARMUP:-600}" \
  -Dbench.daemonJvm="${BENCH_DAEMON_JVM:-chart}" \
  -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  io.spiderpool.bench.PeersBench "${args[0]:-1000}" "${args[1]:-64}" "${args[2]:-30}"
