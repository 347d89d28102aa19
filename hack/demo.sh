#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job for a newcomer (run as root): spiderpool installed the way users install it, on a
# real one-node cluster on this machine, and used by the container runtime.
#   1. a one-node cluster (hack/cluster-up.sh): etcd, kube-apiserver, controller-manager,
#      scheduler and kubelet built from Go modules, containerd and runc from Debian, the node in a
#      network namespace of its own, Pods wired by Debian's bridge with "ipam": {"type": "spiderpool"};
#   2. the image built without a registry (hack/image.sh) and imported into containerd;
#   3. helm install of helm/spiderpool: the DaemonSet installs the CNI plugin on the node, holds
#      the controller Lease, serves the admission webhooks; a post-install hook makes a default pool;
#   4. a Deployment: every Pod's sandbox gets its address from the installed plugin; the Pods'
#      addresses, the pool's usage and the SpiderEndpoints; a refused pool; scale to 0;
#   5. helm uninstall and teardown.
# Builds what is missing first (hack/setup.sh, the jar, the image). A few minutes when built.
# Only addresses inside the namespaces it creates are used; no traffic leaves them.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $EUID -eq 0 ]] || { echo "demo: run as root (the node is a network namespace; kubelet and containerd need root)" >&2; exit 1; }

. hack/k8s-versions.env
cache=${SPIDERPOOL_K8S_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spiderpool/k8s}
state=${SPIDERPOOL_DEMO_DIR:-/tmp/spiderpool-demo}
netns=spcl-demo
started=$SECONDS
step() { printf '\n\033[1m== [%3ds] %s\033[0m\n' "$((SECONDS - started))" "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

if [[ ! -x $cache/$K8S_VERSION/kubelet || ! -x $cache/helm-$HELM_VERSION/helm || ! -x $cache/cri-tools-$CRI_TOOLS_VERSION/crictl ]] ||
  ! command -v containerd >/dev/null || ! command -v umoci >/dev/null; then
  step "first run: installing packages and building the Kubernetes binaries (hack/setup.sh; 20-40 min once)"
  hack/setup.sh
fi
if [[ ! -f target/quarkus-app/quarkus-run.jar || -n $(find src/main/java src/main/resources pom.xml -newer target/quarkus-app/quarkus-run.jar -print -quit) ]]; then
  step "building the application (mvn package)"
  mvn -B -q -DskipTests package
fi
if [[ ! -f target/spiderpool-image.tar || -n $(find target/quarkus-app src/main/image hack/image.sh -newer target/spiderpool-image.tar -print -quit) ]]; then
  step "building the image (hack/image.sh: Debian packages, jlinked runtimes, umoci; no registry)"
  hack/image.sh >/dev/null
fi

cleanup() {
  set +e
  step "tearing down (hack/cluster-down.sh)"
  SPIDERPOOL_CLUSTER_DIR=$state hack/cluster-down.sh
}
trap cleanup EXIT

step "starting a one-node cluster in network namespace $netns (hack/cluster-up.sh)"
env=$(SPIDERPOOL_CLUSTER_DIR=$state SPIDERPOOL_CLUSTER_NETNS=$netns \
  SPIDERPOOL_CLUSTER_IMAGES=$PWD/target/spiderpool-image.tar hack/cluster-up.sh)
# shellcheck disable=SC1090 # written by cluster-up.sh
. "$env"
node() { nsenter --net="/var/run/netns/$netns" "$@"; }
kubectl() { node "$SPIDERPOOL_CLUSTER_KUBECTL" --kubeconfig "$SPIDERPOOL_CLUSTER_KUBECONFIG" "$@"; }
helm() {
  HELM_CACHE_HOME=$state/helm HELM_CONFIG_HOME=$state/helm HELM_DATA_HOME=$state/helm \
    node "$SPIDERPOOL_CLUSTER_HELM" --kubeconfig "$SPIDERPOOL_CLUSTER_KUBECONFIG" "$@"
}
show kubectl get nodes -o wide

step "helm install spiderpool (the image imported above, the cluster's CNI bin dir, a default pool)"
cat >"$state/values.yaml" <<YAML
global:
  cniBinHostPath: $SPIDERPOOL_CLUSTER_CNI_BIN_DIR
  ipamUNIXSocketHostPath: $SPIDERPOOL_CLUSTER_IPAM_SOCKET
  k8sServiceHost: $SPIDERPOOL_CLUSTER_NODE_IP   # no kube-proxy here
  k8sServicePort: "6443"
ipam: {enableIPv6: false}
clusterDefaultPool:
  installIPv4IPPool: true
  ipv4Subnet: 198.19.0.0/24
  ipv4IPRanges: [198.19.0.10-198.19.0.250]
  ipv4Gateway: 198.19.0.1
spiderpoolAgent: {image: {pullPolicy: Never}}
spiderpoolInit: {image: {pullPolicy: Never}}
YAML
cat "$state/values.yaml"
t0=$SECONDS
helm install spiderpool helm/spiderpool --namespace spiderpool --create-namespace \
  --values "$state/values.yaml" --wait --timeout 10m | sed -n '/^NAME:/,/^REVISION/p'
echo "installed and Ready in $((SECONDS - t0)) s"
show kubectl -n spiderpool get pods -o wide
echo "controller Lease held by: $(kubectl -n spiderpool get lease spiderpool-controller-leases -o jsonpath='{.spec.holderIdentity}')"
echo "the plugin the init container installed on the node ($SPIDERPOOL_CLUSTER_CNI_BIN_DIR):"
find "$SPIDERPOOL_CLUSTER_CNI_BIN_DIR" -maxdepth 2 | sort | sed 's/^/  /'
echo "  payload: $(du -sh "$SPIDERPOOL_CLUSTER_CNI_BIN_DIR"/spiderpool.d/* | cut -f1) (jlinked java.base runtime, plugin jar, AOT cache)"
show kubectl get spiderippools

step "a pool that overlaps the default one is refused by the admission webhook"
kubectl apply -f - <<'YAML' 2>&1 | sed 's/^/  /' || true
apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderIPPool
metadata: {name: demo-overlap}
spec: {subnet: 198.19.0.0/24, ips: ["198.19.0.20-198.19.0.30"]}
YAML

step "a Deployment of 10 Pods: the runtime calls bridge, which calls the installed spiderpool plugin"
kubectl create namespace demo >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: demo}
spec:
  replicas: 10
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 5
      containers: [{name: main, image: $SPIDERPOOL_CLUSTER_TEST_IMAGE, imagePullPolicy: Never}]
YAML
t0=$SECONDS
kubectl -n demo rollout status deployment/web --timeout=10m
echo "10 Pods Running after $((SECONDS - t0)) s"
show kubectl -n demo get pods -o wide
show kubectl get spiderippool default-v4-ippool
show kubectl -n demo get spiderendpoints
pod=$(kubectl -n demo get pods -o jsonpath='{.items[0].metadata.name}')
echo "inside $pod:"
kubectl -n demo exec "$pod" -- ip -4 addr show eth0 | sed 's/^/  /'

step "scale to 0: the runtime's DEL goes through the plugin and every address is free again"
kubectl -n demo scale deployment/web --replicas=0 >/dev/null
kubectl -n demo wait --for=delete pod -l app=web --timeout=5m >/dev/null
for _ in $(seq 60); do
  [[ $(kubectl get spiderippool default-v4-ippool -o jsonpath='{.status.allocatedIPCount}') == 0 ]] && break
  sleep 1
done
show kubectl get spiderippool default-v4-ippool

step "helm uninstall: the CRDs and the pools stay"
helm uninstall spiderpool --namespace spiderpool --wait
show kubectl get crd
show kubectl get spiderippools
echo
echo "demo done in $((SECONDS - started)) s"
