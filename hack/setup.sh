#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One-time set-up of a fresh Debian 12 machine for building and testing (run as root). Idempotent:
#   - Maven and a JDK 17 if missing;
#   - the Debian packages of the local control plane scripts (hack/ci-deps.sh);
#   - iproute2 and the reference CNI plugins in /usr/lib/cni (containernetworking-plugins) for
#     the end-to-end tier (*E2E);
#   - for the one-node cluster (*ClusterE2E, hack/demo.sh): containerd and runc, umoci (images),
#     busybox-static (test images), jq, binutils (strip), shellcheck;
#   - gnuplot-nox for the charts of hack/bench-scale.sh;
#   - kube-apiserver, etcd and kubectl, and kubelet, kube-controller-manager, kube-scheduler, helm
#     and crictl, built from Go modules into a cache outside the repo (hack/k8s-build.sh --cluster;
#     reused when present);
#   - the pause and test-pod images (hack/test-images.sh; cached).
set -euo pipefail
hack=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
need=()
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v ip >/dev/null || need+=(iproute2)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
[[ -x /usr/lib/cni/macvlan && -x /usr/lib/cni/bridge ]] || need+=(containernetworking-plugins)
for p in containerd runc umoci busybox-static jq binutils shellcheck; do
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || need+=("$p")
done
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
"${hack}/ci-deps.sh"
"${hack}/k8s-build.sh" --cluster >/dev/null
"${hack}/test-images.sh" >/dev/null
