#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# k8s-build.sh: build kube-apiserver, kubectl and etcd for the local control plane.
#
# No release binaries can be downloaded here, only Go modules, so the binaries are
# compiled from their modules (see shared/reference/local-control-plane.md):
#   * kube-apiserver and kubectl from k8s.io/kubernetes, in a wrapper module that
#     replaces every k8s.io/<staging> module with its published v0.X.Y twin. The list
#     is read from that release's own go.mod in the module cache, so it is right for
#     any version.
#   * etcd from go.etcd.io/etcd/server/v3, in a second wrapper module (its go.mod has
#     replace directives, so `go install pkg@version` refuses it; and keeping it apart
#     stops its requirements from moving the etcd client linked into kube-apiserver).
#
# Versions are pinned in hack/k8s-versions.env. Output, keyed by version, outside the
# repository:
#   $SPIDERPOOL_K8S_DIR/<k8s-version>/{kube-apiserver,kubectl,etcd}
#   $SPIDERPOOL_K8S_DIR/kube-api-test/k8s/<X.Y.Z>-linux-<arch> -> ../../<k8s-version>
#     (the layout io.fabric8:kube-api-test expects: KUBE_API_TEST_DIR=.../kube-api-test)
# The wrapper modules live in $SPIDERPOOL_K8S_DIR/.work/<version>/. Nothing is committed.
#
# Idempotent: when every binary is present and reports the pinned version it builds
# nothing (pass --force to rebuild anyway, e.g. after changing the build flags).
# Prints the binary directory as the only line on stdout; progress goes to stderr.
#
# Environment:
#   SPIDERPOOL_K8S_DIR       cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/spiderpool/k8s)
#   SPIDERPOOL_K8S_VERSION   override K8S_VERSION from k8s-versions.env (e.g. to step down)
#   SPIDERPOOL_ETCD_VERSION  override ETCD_VERSION from k8s-versions.env
#   SPIDERPOOL_BUILD_JOBS    go build -p (default 2: two cores, bounded memory)
#   GO                       go command (default: go on PATH, else /usr/local/go/bin/go)
set -euo pipefail

hack_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=hack/k8s-versions.env
. "${hack_dir}/k8s-versions.env"

k8s_version=${SPIDERPOOL_K8S_VERSION:-${K8S_VERSION}}
etcd_version=${SPIDERPOOL_ETCD_VERSION:-${ETCD_VERSION}}
base=${SPIDERPOOL_K8S_DIR:-${XDG_CACHE_HOME:-${HOME}/.cache}/spiderpool/k8s}
jobs=${SPIDERPOOL_BUILD_JOBS:-2}
go=${GO:-$(command -v go || echo /usr/local/go/bin/go)}

out=${base}/${k8s_version}
work=${base}/.work/${k8s_version}

log() { printf 'k8s-build: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ ${k8s_version} =~ ^v1\.([0-9]+)\.[0-9]+$ ]] || die "K8S_VERSION must look like v1.X.Y, got '${k8s_version}'"
k8s_minor=${BASH_REMATCH[1]}
[[ ${etcd_version} =~ ^v3\.[0-9]+\.[0-9]+$ ]] || die "ETCD_VERSION must look like v3.X.Y, got '${etcd_version}'"
[[ -x ${go} ]] || die "no go toolchain (looked for 'go' on PATH and ${go}); set GO=/path/to/go"

# Each check succeeds only if the binary runs and reports the pinned version. The output
# is captured first: piping into grep -q could SIGPIPE the binary and, with pipefail,
# fail the check.
reports() { # reports LINE CMD...: CMD exits 0 and prints LINE as one of its lines
  local line=$1 output
  shift
  output=$("$@" 2>/dev/null) || return 1
  [[ $'\n'${output}$'\n' == *$'\n'"${line}"$'\n'* ]]
}
apiserver_ok() { reports "Kubernetes ${k8s_version}" "${out}/kube-apiserver" --version; }
kubectl_ok() { reports "Client Version: ${k8s_version}" "${out}/kubectl" version --client; }
etcd_ok() { reports "etcd Version: ${etcd_version#v}" "${out}/etcd" --version; }

link_for_kube_api_test() {
  local arch link
  arch=$("${go}" env GOARCH)
  link=${base}/kube-api-test/k8s/${k8s_version#v}-linux-${arch}
  mkdir -p "$(dirname "${link}")"
  ln -sfn "../../${k8s_version}" "${link}"
}

finish() {
  link_for_kube_api_test
  printf '%s\n' "${out}"
}

mkdir -p "${base}"
# Serialise concurrent runs (a test harness and a developer, say) on one cache.
exec 9>"${base}/.lock"
if ! flock -n 9; then
  log "waiting for another k8s-build.sh holding ${base}/.lock"
  flock 9
fi

force=false
case ${1:-} in
  --force) force=true ;;
  "") ;;
  *) die "usage: $0 [--force]   (--force rebuilds even when the binaries are up to date)" ;;
esac

if [[ ${force} == true ]]; then
  rm -f "${out}/kube-apiserver" "${out}/kubectl" "${out}/etcd" "${out}/BUILDINFO"
elif apiserver_ok && kubectl_ok && etcd_ok; then
  log "up to date: kube-apiserver/kubectl ${k8s_version}, etcd ${etcd_version} in ${out}"
  finish
  exit 0
fi

start=$(date +%s)
export CGO_ENABLED=0
mkdir -p "${out}"
staging=$(mktemp -d "${out}/.build.XXXXXX")
trap 'rm -rf "${staging}"' EXIT

# new_module DIR: an empty wrapper module. Always started afresh, so its go.mod and
# go.sum follow only from the pinned versions (minimal version selection is
# deterministic and go.sum is checked against the checksum database).
new_module() {
  rm -rf "$1"
  mkdir -p "$1"
  (cd "$1" && "${go}" mod init spiderpool.invalid/k8s-build >/dev/null 2>&1)
}

build_kubernetes() {
  local dir=${work}/kubernetes
  local staging_version=v0.${k8s_version#v1.}
  log "building kube-apiserver and kubectl ${k8s_version} (staging modules ${staging_version}) in ${dir}"
  new_module "${dir}"
  cd "${dir}"

  # k8s.io/kubernetes's own go.mod requires its staging modules at the placeholder
  # v0.0.0 and maps them to ./staging/src/...; those replaces only work in its own
  # repository. Route each one to the published twin instead.
  local gomod
  gomod=$("${go}" list -m -f '{{.GoMod}}' "k8s.io/kubernetes@${k8s_version}")
  local -a replaces=()
  local m
  while read -r m; do
    replaces+=("-replace=${m}=${m}@${staging_version}")
  done < <(sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "${gomod}")
  ((${#replaces[@]} > 0)) || die "no staging replaces found in ${gomod}"
  log "replacing ${#replaces[@]} staging modules with ${staging_version}"
  "${go}" mod edit "${replaces[@]}"

  "${go}" get -tool "k8s.io/kubernetes/cmd/kube-apiserver@${k8s_version}" \
    "k8s.io/kubernetes/cmd/kubectl@${k8s_version}"
  "${go}" mod tidy

  # Stamp the real version, as upstream's hack/lib/version.sh does; otherwise
  # /version reports v0.0.0-master and clients' version discovery gets confused.
  # The module proxy does not tell the commit, so gitCommit is left empty rather
  # than showing the unexpanded "$Format:%H$".
  local build_date ldflags="-s -w" pkg
  build_date=$("${go}" list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' \
    "k8s.io/kubernetes@${k8s_version}")
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X ${pkg}.gitVersion=${k8s_version} -X ${pkg}.gitMajor=1"
    ldflags+=" -X ${pkg}.gitMinor=${k8s_minor} -X ${pkg}.gitTreeState=clean"
    ldflags+=" -X ${pkg}.buildDate=${build_date} -X ${pkg}.gitCommit="
  done
  "${go}" build -p "${jobs}" -trimpath -ldflags "${ldflags}" -o "${staging}/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
  mv -f "${staging}/kube-apiserver" "${staging}/kubectl" "${out}/"
}

build_etcd() {
  local dir=${work}/etcd
  log "building etcd ${etcd_version} in ${dir}"
  new_module "${dir}"
  cd "${dir}"
  "${go}" get -tool "go.etcd.io/etcd/server/v3@${etcd_version}"
  "${go}" mod tidy
  # The package is the module root, so go build would name the binary "v3".
  "${go}" build -p "${jobs}" -trimpath -ldflags "-s -w" -o "${staging}/etcd" go.etcd.io/etcd/server/v3
  mv -f "${staging}/etcd" "${out}/etcd"
}

if ! apiserver_ok || ! kubectl_ok; then build_kubernetes; fi
if ! etcd_ok; then build_etcd; fi

apiserver_ok || die "built kube-apiserver does not report Kubernetes ${k8s_version}"
kubectl_ok || die "built kubectl does not report Client Version: ${k8s_version}"
etcd_ok || die "built etcd does not report etcd Version: ${etcd_version#v}"

{
  printf 'K8S_VERSION=%s\nETCD_VERSION=%s\n' "${k8s_version}" "${etcd_version}"
  printf 'GO_VERSION=%s\nBUILT_AT=%s\nBUILD_SECONDS=%s\n' \
    "$("${go}" env GOVERSION)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(($(date +%s) - start))"
} >"${out}/BUILDINFO"
log "built in $(($(date +%s) - start))s: $(cd "${out}" && echo kube-apiserver kubectl etcd)"
finish
