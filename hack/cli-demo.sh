#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# cli-demo.sh: runs the operator commands of docs/cli.md against a local control plane of its own
# (hack/k8s-up.sh) with a few pools, Pods and allocations, and prints each command with its real
# output and exit status as Markdown. docs/cli.md's examples come from this script.
#
# Usage: hack/cli-demo.sh > /tmp/cli-demo.md
# Needs: target/quarkus-app (mvn -DskipTests package), the binaries of hack/k8s-build.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export SPIDERPOOL_CP_DIR=${SPIDERPOOL_CP_DIR:-/tmp/spiderpool-cli-demo-$$}
bin=$(hack/k8s-build.sh)
kubeconfig=$(hack/k8s-up.sh)
trap 'hack/k8s-down.sh >/dev/null 2>&1 || true' EXIT
export KUBECONFIG=$kubeconfig
kubectl() { "$bin/kubectl" "$@"; }
kubectl apply -f target/kubernetes/ >/dev/null
kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null

spiderpool() { java -XX:TieredStopAtLevel=1 -jar target/quarkus-app/quarkus-run.jar "$@"; }
show() {
  printf '```console\n$ spiderpool %s\n' "$*"
  local rc=0
  spiderpool "$@" 2>&1 | grep -v '^\.\.\. ' || rc=${PIPESTATUS[0]}
  printf '$ echo $?\n%s\n```\n\n' "$rc"
}

kubectl apply -f - >/dev/null <<'YAML'
apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderIPPool
metadata: {name: blue-v4}
spec: {subnet: 10.6.0.0/24, ips: [10.6.0.10-10.6.0.40], excludeIPs: [10.6.0.40], gateway: 10.6.0.1}
---
apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderIPPool
metadata: {name: green-v6}
spec: {subnet: "fd00:6::/120", ips: ["fd00:6::10-fd00:6::20"]}
---
apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderReservedIP
metadata: {name: blue-printers}
spec: {ips: [10.6.0.20-10.6.0.21]}
---
apiVersion: v1
kind: Node
metadata: {name: worker-1}
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: default}
spec: {nodeName: worker-1, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: default}
spec: {nodeName: worker-1, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: batch-7, namespace: default}
spec: {nodeName: worker-1, containers: [{name: c, image: x}]}
YAML

echo "# spiderpool operator commands: a recorded session"
echo
show pool list
show ip allocate --pod default/web-0 --pool blue-v4
show ip allocate --pod default/web-1 --ip 10.6.0.17
show ip allocate --pod default/batch-7 --ip 10.6.0.17
show ip allocate --pod default/batch-7 --ip 10.6.0.20
show ip allocate --pod default/batch-7 --ip 10.6.0.40
show ip allocate --pod default/batch-7 --pool blue-v4 -o json
show ip show 10.6.0.17
show ip show 10.6.0.20 -o yaml
show pool show blue-v4
show pool list -o json
show ip release 10.6.0.17
show ip release 10.6.0.17 --dry-run --force
kubectl delete pod batch-7 --grace-period=0 --force >/dev/null 2>&1
show check
show ip release 10.6.0.11 --dry-run
show check --fix
show check -o json
show ip release 10.6.0.99
show ip show not-an-ip
