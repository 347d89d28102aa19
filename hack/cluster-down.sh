#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# cluster-down.sh: tears down what hack/cluster-up.sh started (same SPIDERPOOL_CLUSTER_DIR),
# in the order that leaves nothing behind:
#   1. the kubelet, so that nothing re-creates Pods;
#   2. every Pod sandbox through the runtime (crictl stopp/rmp), so the CNI plugins release what
#      they set up: the Pods first, the spiderpool daemons last (a plugin's DEL needs its daemon);
#   3. containerd, then any shim it left (found by this cluster's own socket path, killed by pid);
#   4. scheduler, controller-manager, API server, etcd;
#   5. mounts under the state dir, Pod namespaces the runtime did not remove, the node namespace;
#   6. the state dir (with --keep-logs: all but logs/ and audit/).
# Only processes whose pids cluster-up.sh or containerd (shim.pid in its state dir) recorded
# are signalled. Safe to run twice, and after a failed start.
set -uo pipefail
state=${SPIDERPOOL_CLUSTER_DIR:-/tmp/spiderpool-cluster}
keep_logs=false
[[ ${1:-} == --keep-logs ]] && keep_logs=true
log() { printf 'cluster-down: %s\n' "$*" >&2; }
[[ -d $state ]] || { log "nothing at $state"; exit 0; }
netns=$(cat "$state/netns" 2>/dev/null || echo "${SPIDERPOOL_CLUSTER_NETNS:-spcl-node}")
hack_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=hack/k8s-versions.env
. "${hack_dir}/k8s-versions.env"
base=${SPIDERPOOL_K8S_DIR:-${XDG_CACHE_HOME:-${HOME}/.cache}/spiderpool/k8s}
crictl=${base}/cri-tools-${CRI_TOOLS_VERSION}/crictl
sock=$state/containerd.sock

# stop NAME [SECONDS]: SIGTERM to the recorded pid, SIGKILL after the grace period
stop() {
  local name=$1 grace=${2:-10} pid i
  pid=$(cat "$state/$name.pid" 2>/dev/null) || return 0
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  # the pid may have been reused: only signal a process that still runs this cluster's files
  if ! { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q -- "$state"; then
    rm -f "$state/$name.pid"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { log "$name did not stop in ${grace}s; SIGKILL"; kill -KILL "$pid" 2>/dev/null; }
  rm -f "$state/$name.pid"
}

stop kubelet 20

pod_netns=()
if [[ -S $sock && -x $crictl ]]; then
  cri() { nsenter --net="/var/run/netns/$netns" timeout 60 "$crictl" --runtime-endpoint "unix://$sock" --timeout 30s "$@"; }
  all=$(cri pods -q 2>/dev/null)
  daemons=$(cri pods -q --label app.kubernetes.io/name=spiderpool 2>/dev/null)
  ordered=()
  for id in $all; do grep -qx "$id" <<<"$daemons" || ordered+=("$id"); done
  for id in $daemons; do ordered+=("$id"); done
  removed=0
  for id in "${ordered[@]}"; do
    path=$(cri inspectp "$id" 2>/dev/null | sed -n 's|.*"path": "\(/var/run/netns/[^"]*\)".*|\1|p' | head -n 1)
    [[ -n $path ]] && pod_netns+=("${path##*/}")
    # a sandbox whose CNI DEL cannot reach a daemon any more (after helm uninstall) stays; the
    # shims, mounts and namespaces below are removed without the runtime then
    if cri stopp "$id" >/dev/null 2>&1 && cri rmp -f "$id" >/dev/null 2>&1; then
      removed=$((removed + 1))
    fi
  done
  ((${#ordered[@]})) && log "removed ${removed} of ${#ordered[@]} Pod sandboxes through the runtime"
fi

stop containerd 20
# shims outlive containerd by design; each left its pid in the task's bundle under our state dir
for f in "$state"/containerd/state/io.containerd.runtime.v2.task/*/*/shim.pid; do
  [[ -s $f ]] || continue
  pid=$(cat "$f")
  if [[ $pid =~ ^[0-9]+$ ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q containerd-shim; then
    log "stopping containerd shim $pid (${f%/shim.pid})"
    kill -KILL "$pid" 2>/dev/null
  fi
done
for name in kube-scheduler kube-controller-manager kube-apiserver etcd; do stop "$name" 15; done

# volumes of the kubelet, overlay mounts and sandbox namespaces of containerd: deepest first
findmnt -rn -o TARGET | grep -E "^${state}(/|$)" | sort -r | while read -r m; do
  umount -l "$m" 2>/dev/null || log "could not unmount $m"
done
for n in "${pod_netns[@]}"; do
  [[ -e /var/run/netns/$n ]] && ip netns del "$n" 2>/dev/null
done
if ip netns list | grep -q "^${netns}\b"; then
  ip netns del "$netns" || log "could not delete netns $netns"
fi

if [[ $keep_logs == true ]]; then
  find "$state" -mindepth 1 -maxdepth 1 ! -name logs ! -name audit -exec rm -rf {} + 2>/dev/null
  log "stopped; logs kept in $state/logs"
else
  rm -rf "$state"
  log "stopped and removed $state"
fi
exit 0
