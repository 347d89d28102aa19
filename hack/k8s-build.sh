#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# k8s-build.sh: build kube-apiserver, kubectl and etcd for the local control plane, and with
# --cluster also kubelet, kube-controller-manager, kube-scheduler and helm for the one-node cluster
# of the *ClusterE2E tests (hack/cluster-up.sh).
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
#   * --cluster: kubelet, kube-controller-manager and kube-scheduler from the same
#     k8s.io/kubernetes release and staging replaces, in a wrapper module of their own
#     (kubernetes-node), so that adding them never changes the module that built
#     kube-apiserver and kubectl nor makes them rebuild; Go's build cache shares the
#     packages they have in common. `go get` of cmd/kubelet also brings the go.sum lines of
#     the staging module k8s.io/cri-streaming.
#   * --cluster: helm from helm.sh/helm/v4 (its own version, HELM_VERSION) and crictl from
#     sigs.k8s.io/cri-tools (CRI_TOOLS_VERSION), each in a wrapper module too.
#
# Versions are pinned in hack/k8s-versions.env. Output, keyed by version, outside the
# repository:
#   $SPIDERPOOL_K8S_DIR/<k8s-version>/{kube-apiserver,kubectl,etcd}
#   $SPIDERPOOL_K8S_DIR/<k8s-version>/{kubelet,kube-controller-manager,kube-scheduler}   (--cluster)
#   $SPIDERPOOL_K8S_DIR/helm-<helm-version>/helm                                        (--cluster)
#   $SPIDERPOOL_K8S_DIR/cri-tools-<version>/crictl                                      (--cluster)
#   $SPIDERPOOL_K8S_DIR/kube-api-test/k8s/<X.Y.Z>-linux-<arch> -> ../../<k8s-version>
#     (the layout io.fabric8:kube-api-test expects: KUBE_API_TEST_DIR=.../kube-api-test)
# The wrapper modules live in $SPIDERPOOL_K8S_DIR/.work/<version>/. Nothing is committed.
#
# Idempotent: when every binary asked for is present and reports the pinned version it
# builds nothing (pass --force to rebuild anyway, e.g. after changing the build flags);
# each group is checked on its own, so --cluster on a cache holding the control plane
# builds only the new binaries.
# Prints the binary directory as the only line on stdout; progress goes to stderr.
#
# Environment:
#   SPIDERPOOL_K8S_DIR       cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/spiderpool/k8s)
#   SPIDERPOOL_K8S_VERSION   override K8S_VERSION from k8s-versions.env (e.g. to step down)
#   SPIDERPOOL_ETCD_VERSION  override ETCD_VERSION from k8s-versions.env
#   SPIDERPOOL_HELM_VERSION  override HELM_VERSION from k8s-versions.env
#   SPIDERPOOL_BUILD_JOBS    go build -p (default 2: two cores, bounded memory)
#   GO                       go command (default: go on PATH, else /usr/local/go/bin/go)
set -euo pipefail

hack_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=hack/k8s-versions.env
. "${hack_dir}/k8s-versions.env"

k8s_version=${SPIDERPOOL_K8S_VERSION:-${K8S_VERSION}}
etcd_version=${SPIDERPOOL_ETCD_VERSION:-${ETCD_VERSION}}
helm_version=${SPIDERPOOL_HELM_VERSION:-${HELM_VERSION}}
cri_tools_version=${CRI_TOOLS_VERSION}
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
[[ ${helm_version} =~ ^v4\.[0-9]+\.[0-9]+$ ]] || die "HELM_VERSION must look like v4.X.Y, got '${helm_version}'"
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
node_ok() {
  local b
  for b in kubelet kube-controller-manager kube-scheduler; do
    reports "Kubernetes ${k8s_version}" "${out}/${b}" --version || return 1
  done
}
helm_dir=${base}/helm-${helm_version}
helm_ok() { reports "${helm_version}" "${helm_dir}/helm" version --template '{{.Version}}{{"\n"}}'; }
crictl_dir=${base}/cri-tools-${cri_tools_version}
crictl_ok() { reports "crictl version ${cri_tools_version}" "${crictl_dir}/crictl" --version; }

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
cluster=false
for arg in "$@"; do
  case ${arg} in
    --force) force=true ;;
    --cluster) cluster=true ;;
    *) die "usage: $0 [--force] [--cluster]   (--force rebuilds even when the binaries are up to date;
  --cluster adds kubelet, kube-controller-manager, kube-scheduler and helm)" ;;
  esac
done

all_ok() {
  apiserver_ok && kubectl_ok && etcd_ok || return 1
  [[ ${cluster} == false ]] || { node_ok && helm_ok && crictl_ok; }
}

if [[ ${force} == true ]]; then
  rm -f "${out}/kube-apiserver" "${out}/kubectl" "${out}/etcd" "${out}/BUILDINFO"
  if [[ ${cluster} == true ]]; then
    rm -f "${out}/kubelet" "${out}/kube-controller-manager" "${out}/kube-scheduler" "${helm_dir}/helm" "${crictl_dir}/crictl"
  fi
elif all_ok; then
  log "up to date: kube-apiserver/kubectl ${k8s_version}, etcd ${etcd_version} in ${out}"
  [[ ${cluster} == false ]] || log "up to date: kubelet/kube-controller-manager/kube-scheduler ${k8s_version}, helm ${helm_version}, crictl ${cri_tools_version}"
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

# staging_replaces: one -replace flag per staging module of the pinned k8s.io/kubernetes.
# Its own go.mod requires them at the placeholder v0.0.0 and maps them to ./staging/src/...;
# those replaces only work in its own repository. Route each one to the published twin.
staging_replaces() {
  local gomod m staging_version=v0.${k8s_version#v1.}
  gomod=$("${go}" list -m -f '{{.GoMod}}' "k8s.io/kubernetes@${k8s_version}")
  local -a replaces=()
  while read -r m; do
    replaces+=("-replace=${m}=${m}@${staging_version}")
  done < <(sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "${gomod}")
  ((${#replaces[@]} > 0)) || die "no staging replaces found in ${gomod}"
  log "replacing ${#replaces[@]} staging modules with ${staging_version}"
  "${go}" mod edit "${replaces[@]}"
}

# version_ldflags: stamp the real version, as upstream's hack/lib/version.sh does; otherwise
# /version reports v0.0.0-master and clients' version discovery gets confused. The module
# proxy does not tell the commit, so gitCommit is left empty rather than showing the
# unexpanded "$Format:%H$".
version_ldflags() {
  local build_date ldflags="-s -w" pkg
  build_date=$("${go}" list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' \
    "k8s.io/kubernetes@${k8s_version}")
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X ${pkg}.gitVersion=${k8s_version} -X ${pkg}.gitMajor=1"
    ldflags+=" -X ${pkg}.gitMinor=${k8s_minor} -X ${pkg}.gitTreeState=clean"
    ldflags+=" -X ${pkg}.buildDate=${build_date} -X ${pkg}.gitCommit="
  done
  printf '%s\n' "${ldflags}"
}

build_kubernetes() {
  local dir=${work}/kubernetes
  log "building kube-apiserver and kubectl ${k8s_version} in ${dir}"
  new_module "${dir}"
  cd "${dir}"
  staging_replaces
  "${go}" get -tool "k8s.io/kubernetes/cmd/kube-apiserver@${k8s_version}" \
    "k8s.io/kubernetes/cmd/kubectl@${k8s_version}"
  "${go}" mod tidy
  "${go}" build -p "${jobs}" -trimpath -ldflags "$(version_ldflags)" -o "${staging}/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
  mv -f "${staging}/kube-apiserver" "${staging}/kubectl" "${out}/"
}

# The node and the rest of the control plane for the one-node cluster, built with cgo off
# like the others (the cluster uses the cgroupfs driver and node IPs, nothing that needs
# cgo).
build_node() {
  local dir=${work}/kubernetes-node
  log "building kubelet, kube-controller-manager and kube-scheduler ${k8s_version} in ${dir}"
  new_module "${dir}"
  cd "${dir}"
  staging_replaces
  "${go}" get -tool "k8s.io/kubernetes/cmd/kubelet@${k8s_version}" \
    "k8s.io/kubernetes/cmd/kube-controller-manager@${k8s_version}" \
    "k8s.io/kubernetes/cmd/kube-scheduler@${k8s_version}"
  "${go}" mod tidy
  "${go}" build -p "${jobs}" -trimpath -ldflags "$(version_ldflags)" -o "${staging}/" \
    k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler
  mv -f "${staging}/kubelet" "${staging}/kube-controller-manager" "${staging}/kube-scheduler" "${out}/"
}

build_helm() {
  local dir=${base}/.work/helm-${helm_version}
  log "building helm ${helm_version} in ${dir}"
  new_module "${dir}"
  cd "${dir}"
  "${go}" get -tool "helm.sh/helm/v4/cmd/helm@${helm_version}"
  "${go}" mod tidy
  mkdir -p "${helm_dir}"
  "${go}" build -p "${jobs}" -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=${helm_version}" \
    -o "${staging}/helm" helm.sh/helm/v4/cmd/helm
  mv -f "${staging}/helm" "${helm_dir}/helm"
}

# crictl: the CRI client, to tear the test cluster's sandboxes down through the runtime (so
# the CNI plugins release what they set up) and for the runtime-only fallback (crictl runp).
build_crictl() {
  local dir=${base}/.work/cri-tools-${cri_tools_version}
  log "building crictl ${cri_tools_version} in ${dir}"
  new_module "${dir}"
  cd "${dir}"
  "${go}" get -tool "sigs.k8s.io/cri-tools/cmd/crictl@${cri_tools_version}"
  "${go}" mod tidy
  mkdir -p "${crictl_dir}"
  "${go}" build -p "${jobs}" -trimpath \
    -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=${cri_tools_version}" \
    -o "${staging}/crictl" sigs.k8s.io/cri-tools/cmd/crictl
  mv -f "${staging}/crictl" "${crictl_dir}/crictl"
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
if [[ ${cluster} == true ]]; then
  if ! node_ok; then build_node; fi
  if ! helm_ok; then build_helm; fi
  if ! crictl_ok; then build_crictl; fi
fi

apiserver_ok || die "built kube-apiserver does not report Kubernetes ${k8s_version}"
kubectl_ok || die "built kubectl does not report Client Version: ${k8s_version}"
etcd_ok || die "built etcd does not report etcd Version: ${etcd_version#v}"
if [[ ${cluster} == true ]]; then
  node_ok || die "built kubelet, kube-controller-manager or kube-scheduler does not report Kubernetes ${k8s_version}"
  helm_ok || die "built helm does not report ${helm_version}"
  crictl_ok || die "built crictl does not report ${cri_tools_version}"
fi

# BUILDINFO describes the last build that changed something; earlier lines are kept, so a
# later --cluster build does not hide how long the control plane took.
{
  if [[ -f ${out}/BUILDINFO ]]; then
    keys=(K8S_VERSION ETCD_VERSION GO_VERSION)
    if [[ ${cluster} == true ]]; then keys+=(HELM_VERSION CRI_TOOLS_VERSION CLUSTER_BUILT_AT CLUSTER_BUILD_SECONDS); else keys+=(BUILT_AT BUILD_SECONDS); fi
    grep -v -E "^($(IFS='|'; echo "${keys[*]}"))=" "${out}/BUILDINFO" || true
  fi
  printf 'K8S_VERSION=%s\nETCD_VERSION=%s\n' "${k8s_version}" "${etcd_version}"
  printf 'GO_VERSION=%s\n' "$("${go}" env GOVERSION)"
  if [[ ${cluster} == true ]]; then
    printf 'HELM_VERSION=%s\nCRI_TOOLS_VERSION=%s\nCLUSTER_BUILT_AT=%s\nCLUSTER_BUILD_SECONDS=%s\n' "${helm_version}" "${cri_tools_version}" \
      "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(($(date +%s) - start))"
  else
    printf 'BUILT_AT=%s\nBUILD_SECONDS=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(($(date +%s) - start))"
  fi
} >"${out}/BUILDINFO.tmp"
mv -f "${out}/BUILDINFO.tmp" "${out}/BUILDINFO"
log "built in $(($(date +%s) - start))s: $(cd "${out}" && echo ./*)"
finish
