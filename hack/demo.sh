#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job for a newcomer: the whole path a kubelet takes, on this machine (run as root).
#   local kube-apiserver + etcd -> `spiderpool daemon` as node "demo-node" (its admission
#   webhooks registered, so the pool is checked and completed on the way in) -> two pods as API
#   objects -> a network namespace per pod wired by Debian's macvlan plugin with
#   "ipam": {"type": "spiderpool"} -> addresses in the namespaces, the pool's records, the
#   SpiderEndpoints -> delete a pod and watch its address come back to the next pod.
# Builds what is missing (the jar; the control plane via hack/setup.sh) and cleans up after itself.
# Only addresses inside the namespaces it creates are used; no traffic leaves them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[[ $EUID -eq 0 ]] || { echo "demo: run as root (it creates network namespaces)" >&2; exit 1; }

. hack/k8s-versions.env
k8s_bin=${SPIDERPOOL_K8S_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spiderpool/k8s}/${K8S_VERSION}
if [[ ! -x $k8s_bin/kube-apiserver || ! -x /usr/lib/cni/macvlan ]]; then
  hack/setup.sh
fi
jar=target/quarkus-app/quarkus-run.jar
if [[ ! -f $jar || -n $(find src pom.xml -newer "$jar" -print -quit) ]]; then
  mvn -B -q -DskipTests package
fi
appjar=$(ls "$root"/target/quarkus-app/app/spiderpool-*.jar | head -n1)

state=/tmp/spiderpool-demo
work=$(mktemp -d /tmp/spiderpool-demo-work.XXXXXX)
kubectl="$k8s_bin/kubectl"
daemon_pid=
cleanup() {
  set +e
  [[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  for ns in spdemo-pod-a spdemo-pod-b spdemo-pod-c; do ip netns del "$ns" 2>/dev/null; done
  ip link del spdemo0 2>/dev/null
  SPIDERPOOL_CP_DIR=$state hack/k8s-down.sh >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "start a local control plane (kube-apiserver ${K8S_VERSION} + etcd on 127.0.0.1)"
export KUBECONFIG
KUBECONFIG=$(SPIDERPOOL_CP_DIR=$state hack/k8s-up.sh)
for crd in target/kubernetes/*.spiderpool.spidernet.io-v1.yml; do "$kubectl" apply -f "$crd" >/dev/null; done
"$kubectl" wait --for=condition=Established crd --all --timeout=30s >/dev/null

step "a node and a namespace"
"$kubectl" apply -f - <<'YAML'
apiVersion: v1
kind: Node
metadata: {name: demo-node, labels: {zone: demo}}
---
apiVersion: v1
kind: Namespace
metadata: {name: demo}
YAML

step "start the node daemon for demo-node (agent, admission webhooks, controller role)"
sock=$work/spiderpool.sock
. "$state/cp.env"
java -jar "$jar" daemon --kubeconfig "$KUBECONFIG" --node-name demo-node --socket "$sock" --health-port 0 \
  --webhook-port 0 --tls-server-cert "$SPIDERPOOL_CP_WEBHOOK_CRT" \
  --tls-server-key "$SPIDERPOOL_CP_WEBHOOK_KEY" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 100); do
  curl -sf --unix-socket "$sock" http://localhost/v1/ipam/healthy >/dev/null 2>&1 && break
  kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/daemon.log"; exit 1; }
  sleep 0.2
done
for _ in $(seq 50); do
  webhook_port=$(sed -n 's/.*admission webhooks on https:[^ ]*:\([0-9][0-9]*\).*/\1/p' "$work/daemon.log" | head -n1)
  [[ -n $webhook_port ]] && break
  sleep 0.2
done
[[ -n $webhook_port ]] || { cat "$work/daemon.log"; exit 1; }
echo "daemon ready on unix:$sock, webhooks on https://127.0.0.1:$webhook_port"

step "register its admission webhooks (by URL on 127.0.0.1, trusted through caBundle)"
ca=$(base64 -w0 "$SPIDERPOOL_CP_CA_CRT")
hooks() { # kind(singular) plural
  printf -- '- name: %s.spiderpool.spidernet.io\n  admissionReviewVersions: [v1]\n  sideEffects: NoneOnDryRun\n  failurePolicy: Fail\n  clientConfig: {url: "https://127.0.0.1:%s/%s-spiderpool-spidernet-io-v2beta1-%s", caBundle: "%s"}\n  rules: [{apiGroups: [spiderpool.spidernet.io], apiVersions: [v2beta1], operations: [%s], resources: [%s]}]\n' \
    "$1" "$webhook_port" "$3" "$1" "$ca" "$4" "$2"
}
{
  echo "apiVersion: admissionregistration.k8s.io/v1"; echo "kind: MutatingWebhookConfiguration"
  echo "metadata: {name: spiderpool-demo}"; echo "webhooks:"
  hooks spiderippool spiderippools mutate "CREATE, UPDATE"
  echo "---"
  echo "apiVersion: admissionregistration.k8s.io/v1"; echo "kind: ValidatingWebhookConfiguration"
  echo "metadata: {name: spiderpool-demo}"; echo "webhooks:"
  hooks spiderippool spiderippools validate "CREATE, UPDATE, DELETE"
} | show "$kubectl" apply -f -

step "a Spiderpool-shaped SpiderIPPool (the webhook derives ipVersion and adds label and finalizer)"
"$kubectl" apply -f - <<'YAML'
apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderIPPool
metadata: {name: demo-v4}
spec:
  subnet: 10.77.0.0/24
  ips: ["10.77.0.10-10.77.0.20"]
  excludeIPs: ["10.77.0.10"]
  gateway: 10.77.0.1
  nodeAffinity: {matchLabels: {zone: demo}}
YAML
show "$kubectl" get spiderippool demo-v4
echo "an overlapping pool is refused at admission:"
"$kubectl" apply -f - <<'YAML' 2>&1 | sed 's/^/  /' || true
apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderIPPool
metadata: {name: demo-overlap}
spec:
  subnet: 10.77.0.0/16
  ips: ["10.77.0.30-10.77.0.40"]
YAML


# the IPAM plugin as a runtime finds it: an executable named after ipam.type in CNI_PATH
mkdir -p "$work/bin"
cat >"$work/bin/spiderpool" <<SH
#!/bin/sh
SPIDERPOOL_CNI_ENV=/nonexistent SPIDERPOOL_CNI_JAR=$appjar exec $root/hack/spiderpool-cni "\$@"
SH
chmod +x "$work/bin/spiderpool"
ip link add spdemo0 type veth peer name spdemo1
ip link set spdemo0 up; ip link set spdemo1 up
netconf() {
  cat <<JSON
{"cniVersion":"1.0.0","name":"demo-macvlan","type":"macvlan","master":"spdemo0","mode":"bridge",
 "ipam":{"type":"spiderpool","ipam_unix_socket_path":"$sock","default_ipv4_ippool":["demo-v4"],
         "log_file_path":"$work/plugin.log"}}
JSON
}
cni() { # cni VERB POD
  local uid; uid=$("$kubectl" -n demo get pod "$2" -o jsonpath='{.metadata.uid}' 2>/dev/null || echo gone)
  [[ $uid == gone ]] && uid=$(cat "$work/$2.uid")
  echo "$uid" >"$work/$2.uid"
  netconf | CNI_COMMAND=$1 CNI_CONTAINERID="cid-$2" CNI_NETNS=/var/run/netns/spdemo-$2 CNI_IFNAME=eth0 \
    CNI_PATH="$work/bin:/usr/lib/cni" \
    CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=demo;K8S_POD_NAME=$2;K8S_POD_UID=$uid" /usr/lib/cni/macvlan
}
pod() {
  "$kubectl" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: $1, namespace: demo, labels: {app: demo}}
spec: {nodeName: demo-node, containers: [{name: c, image: busybox}]}
YAML
  ip netns add "spdemo-$1"
}

for p in pod-a pod-b; do
  step "pod $p: ADD through /usr/lib/cni/macvlan -> spiderpool -> daemon"
  pod "$p"
  cni ADD "$p" | tr -d '\n' | cut -c1-300; echo
  show ip -n "spdemo-$p" -br addr show eth0
  show ip -n "spdemo-$p" route
done

step "the pool's records and the SpiderEndpoints"
show "$kubectl" get spiderippool demo-v4
"$kubectl" get spiderippool demo-v4 -o jsonpath='{.status.allocatedIPs}'; echo
show "$kubectl" -n demo get spiderendpoints

step "delete pod-a, then the runtime's DEL: its address goes back to the pool"
show "$kubectl" -n demo delete pod pod-a --grace-period=0 --force
cni DEL pod-a && echo "DEL ok"
ip netns del spdemo-pod-a
show "$kubectl" get spiderippool demo-v4

step "a new pod-c gets the lowest free address: pod-a's"
pod pod-c
cni ADD pod-c >/dev/null
show ip -n spdemo-pod-c -br addr show eth0
show "$kubectl" -n demo get spiderendpoints
echo
echo "demo done; cleaning up"
