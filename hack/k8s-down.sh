#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# k8s-down.sh: stop the control plane started by hack/k8s-up.sh and remove its data.
#
# Stops only the processes whose pids k8s-up.sh recorded in $SPIDERPOOL_CP_DIR, and only
# if their command line still names this control plane's files (a recycled pid is left
# alone). kube-apiserver goes first, then etcd: SIGTERM, then SIGKILL after 15 s.
# Removes the etcd data dir, the certificates, the kubeconfig and cp.env; keeps logs/
# for post-mortems (the next k8s-up.sh truncates them). Safe to run when nothing runs.
#
# Environment:
#   SPIDERPOOL_CP_DIR   state dir (default /tmp/spiderpool-cp)
set -euo pipefail

state=${SPIDERPOOL_CP_DIR:-/tmp/spiderpool-cp}

log() { printf 'k8s-down: %s\n' "$*" >&2; }

data=
[[ -f ${state}/data-dir ]] && data=$(cat "${state}/data-dir")

# alive PID: running and not a zombie (a zombie is what is left when k8s-up.sh, still
# the parent, calls this script after a failed start).
alive() {
  local st
  st=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null) || return 1
  [[ -n ${st} && ${st} != Z && ${st} != X ]]
}

cmdline() { { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null || true; }

# stop NAME MARKER: stop the recorded process if its command line contains MARKER.
stop() {
  local name=$1 marker=$2 pidfile=${state}/$1.pid pid i
  [[ -f ${pidfile} ]] || return 0
  pid=$(cat "${pidfile}")
  if [[ ${pid} =~ ^[0-9]+$ && -n ${marker} && "$(cmdline "${pid}")" == *"${marker}"* ]]; then
    kill -TERM "${pid}" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
      alive "${pid}" || break
      sleep 0.1
    done
    if alive "${pid}"; then
      log "${name} (pid ${pid}) ignored SIGTERM; sending SIGKILL"
      kill -KILL "${pid}" 2>/dev/null || true
    fi
    log "stopped ${name} (pid ${pid})"
  else
    log "${name}: pid ${pid} is not running (or is not ours); nothing to stop"
  fi
  rm -f "${pidfile}"
}

stop kube-apiserver "${state}/pki/"
stop etcd "${data:+${data}/etcd}"

# Only ever delete a directory that k8s-up.sh's mktemp pattern could have made.
if [[ -n ${data} ]]; then
  case $(basename "${data}") in
    spiderpool-cp-data.*) rm -rf "${data}" ;;
    *) log "not removing unexpected data dir '${data}'" ;;
  esac
fi
rm -rf "${state}/pki" "${state}/admin.kubeconfig" "${state}/cp.env" "${state}/data-dir"
log "done"
