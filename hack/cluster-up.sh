#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# cluster-up.sh: a one-node Kubernetes cluster on this machine, from real components, for the
# *ClusterE2E tests and hack/demo.sh (run as root):
#   etcd, kube-apiserver (--authorization-mode=Node,RBAC, --enable-aggregator-routing),
#   kube-controller-manager, kube-scheduler and kubelet built by hack/k8s-build.sh --cluster;
#   containerd and runc from Debian; Debian's CNI plugins plus whatever the chart installs.
#
# The node is a network namespace of its own (default spcl-node), the way kind puts a node in a
# container: the kubelet refuses a loopback node IP, so the node IP sits on a veth end inside
# that namespace (spcl0; its peer spcl0p stays in the same namespace, so nothing is connected to
# the machine's own namespace), and every component runs inside it. Pods get namespaces of their own from containerd, wired by
# the conflist in a dedicated CNI conf dir (Debian's bridge, "ipam": {"type": "spiderpool"}), so
# the runtime runs the spiderpool plugin the chart's init container installs. No traffic leaves
# these namespaces: there is no route out of the node namespace.
#
# Everything lives under the state dir (default /tmp/spiderpool-cluster): certificates,
# kubeconfigs, data, the CNI bin and conf dirs, the kubelet's and containerd's roots, logs.
# Tear down with hack/cluster-down.sh (same SPIDERPOOL_CLUSTER_DIR).
#
# Exit 0 means ready: the node is Ready and the default ServiceAccount exists. Stdout is the
# path of cluster.env only (KEY=VALUE: kubeconfig, netns, node IP, binaries, CNI dirs, socket,
# image names, pids, start time); progress and timings go to stderr.
#
# Environment:
#   SPIDERPOOL_CLUSTER_DIR     state dir (default /tmp/spiderpool-cluster)
#   SPIDERPOOL_CLUSTER_NETNS   the node's network namespace (default spcl-node)
#   SPIDERPOOL_CLUSTER_IMAGES  OCI/docker archives to import besides the test images, space-separated
#   SPIDERPOOL_CLUSTER_TIMEOUT seconds to wait for each component (default 180)
#   SPIDERPOOL_CLUSTER_APISERVER_ARGS  extra kube-apiserver flags, space-separated
#   SPIDERPOOL_K8S_DIR, SPIDERPOOL_K8S_VERSION   as for hack/k8s-build.sh
set -euo pipefail

hack_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=hack/k8s-versions.env
. "${hack_dir}/k8s-versions.env"
k8s_version=${SPIDERPOOL_K8S_VERSION:-${K8S_VERSION}}
base=${SPIDERPOOL_K8S_DIR:-${XDG_CACHE_HOME:-${HOME}/.cache}/spiderpool/k8s}
bin=${base}/${k8s_version}
helm=${base}/helm-${HELM_VERSION}/helm
crictl=${base}/cri-tools-${CRI_TOOLS_VERSION}/crictl
state=${SPIDERPOOL_CLUSTER_DIR:-/tmp/spiderpool-cluster}
netns=${SPIDERPOOL_CLUSTER_NETNS:-spcl-node}
timeout=${SPIDERPOOL_CLUSTER_TIMEOUT:-180}
node=spcl-node
node_ip=198.18.0.2
node_cidr=24
service_cidr=198.18.128.0/24
service_ip=198.18.128.1
link=spcl0
bridge=spclbr0
pause_image=localhost/spcl/pause:1
test_image=localhost/spcl/busybox:1

started_us=${EPOCHREALTIME/./}
log() { printf 'cluster-up: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
elapsed() { local now=${EPOCHREALTIME/./}; printf '%d.%01d' $(((now - started_us) / 1000000)) $(((now - started_us) / 100000 % 10)); }

((EUID == 0)) || die "run as root: the node is a network namespace, and kubelet and containerd need root"
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl; do
  [[ -x ${bin}/${b} ]] || die "${bin}/${b} not found; run hack/k8s-build.sh --cluster (or hack/setup.sh)"
done
[[ -x ${crictl} ]] || die "${crictl} not found; run hack/k8s-build.sh --cluster (or hack/setup.sh)"
for c in containerd containerd-shim-runc-v2 runc ctr ip nsenter openssl curl setsid findmnt; do
  command -v "${c}" >/dev/null || die "${c} not found; run hack/setup.sh (apt: containerd runc iproute2 openssl curl util-linux)"
done
for p in bridge loopback host-local; do
  [[ -x /usr/lib/cni/${p} ]] || die "/usr/lib/cni/${p} not found; apt-get install containernetworking-plugins"
done
[[ ${state} =~ ^/[A-Za-z0-9._/-]+$ ]] || die "SPIDERPOOL_CLUSTER_DIR must be an absolute path without spaces or quotes"
if [[ -s ${state}/cluster.env ]] || ip netns list | grep -qx "${netns}\( (id: [0-9]*)\)\?"; then
  die "a cluster is already up from ${state} or netns ${netns} exists; run hack/cluster-down.sh first"
fi

images=$("${hack_dir}/test-images.sh")

rm -rf "${state}"
mkdir -p "${state}"/{pki,logs,etcd,kubelet,containerd/root,containerd/state,cni/bin,cni/net.d,run/spidernet,audit}
chmod 700 "${state}" "${state}/pki"
pki=${state}/pki
logs=${state}/logs
sock=${state}/containerd.sock
cni_bin=${state}/cni/bin
cni_conf=${state}/cni/net.d
ipam_socket=${state}/run/spidernet/spiderpool.sock

ready=false
on_exit() {
  if [[ ${ready} != true ]]; then
    local f
    for f in "${logs}"/*.log; do
      [[ -s ${f} ]] && { log "last lines of ${f}:"; tail -n 15 "${f}" >&2; }
    done
    log "start failed after $(elapsed)s; tearing down what was started"
    SPIDERPOOL_CLUSTER_DIR=${state} SPIDERPOOL_CLUSTER_NETNS=${netns} "${hack_dir}/cluster-down.sh" --keep-logs >&2 || true
  fi
}
trap on_exit EXIT

# --- the node's network namespace ------------------------------------------------------------------
ip netns add "${netns}"
printf '%s\n' "${netns}" >"${state}/netns"
ip -n "${netns}" link set lo up
# both ends of the veth stay in the node's namespace: the node IP has a link with carrier, and
# nothing is connected to the machine's own namespace (this kernel has no dummy links)
ip -n "${netns}" link add "${link}" type veth peer name "${link}p"
ip -n "${netns}" addr add "${node_ip}/${node_cidr}" dev "${link}"
ip -n "${netns}" link set "${link}p" up
ip -n "${netns}" link set "${link}" up
# nsenter, not `ip netns exec`: that one also remounts /sys in a mount namespace of its own,
# which hides the cgroup mounts from the kubelet and the runtime's netns bind mounts from the host
in_node() { nsenter --net="/var/run/netns/${netns}" "$@"; }
log "netns ${netns} with node IP ${node_ip} on ${link} after $(elapsed)s"

# --- certificates ----------------------------------------------------------------------------------
cat >"${pki}/openssl.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[apiserver]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:${node_ip},IP:127.0.0.1,IP:${service_ip},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
authorityKeyIdentifier = keyid
[kubelet]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:${node_ip},DNS:${node}
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
EOF
new_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "${pki}/$1.key" 2>/dev/null; }
issue() { # NAME SUBJECT EXTENSIONS
  openssl req -new -config "${pki}/openssl.cnf" -key "${pki}/$1.key" -subj "$2" -out "${pki}/$1.csr"
  openssl x509 -req -in "${pki}/$1.csr" -CA "${pki}/ca.crt" -CAkey "${pki}/ca.key" -CAserial "${pki}/ca.srl" \
    -CAcreateserial -days 365 -extfile "${pki}/openssl.cnf" -extensions "$3" -out "${pki}/$1.crt" 2>/dev/null
  rm -f "${pki}/$1.csr"
}
keys=(ca apiserver admin kcm scheduler kubelet-client kubelet-serving apiserver-kubelet sa)
jobs_=()
for k in "${keys[@]}"; do new_key "${k}" & jobs_+=($!); done
for j in "${jobs_[@]}"; do wait "${j}" || die "openssl could not generate a key"; done
openssl req -x509 -new -config "${pki}/openssl.cnf" -extensions ca -key "${pki}/ca.key" \
  -subj "/CN=spiderpool-cluster-ca" -days 365 -out "${pki}/ca.crt"
issue apiserver "/CN=kube-apiserver" apiserver
issue admin "/O=system:masters/CN=spiderpool-cluster-admin" client
issue kcm "/CN=system:kube-controller-manager" client
issue scheduler "/CN=system:kube-scheduler" client
issue kubelet-client "/O=system:nodes/CN=system:node:${node}" client
issue kubelet-serving "/CN=${node}" kubelet
issue apiserver-kubelet "/O=system:masters/CN=kube-apiserver-kubelet-client" client
openssl pkey -in "${pki}/sa.key" -pubout -out "${pki}/sa.pub"
chmod 600 "${pki}"/*.key

b64() { base64 -w0 "$1"; }
kubeconfig() { # NAME CERT
  cat >"${state}/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: spcl
  cluster:
    server: https://${node_ip}:6443
    certificate-authority-data: $(b64 "${pki}/ca.crt")
users:
- name: $1
  user:
    client-certificate-data: $(b64 "${pki}/$2.crt")
    client-key-data: $(b64 "${pki}/$2.key")
contexts:
- name: spcl
  context: {cluster: spcl, user: $1}
current-context: spcl
EOF
  chmod 600 "${state}/$1.kubeconfig"
}
kubeconfig admin admin
kubeconfig kcm kcm
kubeconfig scheduler scheduler
kubeconfig kubelet kubelet-client
log "certificates and kubeconfigs after $(elapsed)s"

# --- processes -------------------------------------------------------------------------------------
# spawn NAME CMD...: in the node's namespace, a session of its own, logging to logs/NAME.log;
# the pid file holds the process's own pid (the wrapper execs).
spawn() {
  local name=$1 i
  shift
  : >"${logs}/${name}.log"
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  setsid nsenter --net="/var/run/netns/${netns}" bash -c 'echo $$ >"$0"; exec "$@"' "${state}/${name}.pid" "$@" \
    </dev/null >>"${logs}/${name}.log" 2>&1 &
  for ((i = 0; i < 100; i++)); do [[ -s ${state}/${name}.pid ]] && return 0; sleep 0.02; done
  die "${name} did not start"
}
# wait_for NAME WHAT CHECK...: polls CHECK (every 0.2 s) until it succeeds; fails early if NAME died
wait_for() {
  local name=$1 what=$2 pid deadline=$((SECONDS + timeout))
  shift 2
  pid=$(cat "${state}/${name}.pid")
  until "$@" >/dev/null 2>&1; do
    kill -0 "${pid}" 2>/dev/null || die "${name} exited while waiting for ${what}; see ${logs}/${name}.log"
    ((SECONDS < deadline)) || die "${what}: not after ${timeout}s; see ${logs}/${name}.log"
    sleep 0.2
  done
}
kubectl() { in_node "${bin}/kubectl" --kubeconfig "${state}/admin.kubeconfig" "$@"; }

etcd_args=()
if "${bin}/etcd" --help 2>&1 | grep -q -- '--unsafe-no-fsync'; then etcd_args+=(--unsafe-no-fsync); fi
spawn etcd "${bin}/etcd" --name=spcl --data-dir="${state}/etcd" \
  --listen-client-urls=http://127.0.0.1:2379 --advertise-client-urls=http://127.0.0.1:2379 \
  --listen-peer-urls=http://127.0.0.1:2380 --initial-advertise-peer-urls=http://127.0.0.1:2380 \
  --initial-cluster=spcl=http://127.0.0.1:2380 "${etcd_args[@]}"
wait_for etcd "etcd health" in_node curl -fsS --max-time 1 http://127.0.0.1:2379/health
log "etcd ready after $(elapsed)s"

# The audit log records, for the chart's ServiceAccounts, every request and its response code:
# ClusterE2E proves with it that the chart's RBAC lacks nothing the code calls.
cat >"${state}/audit-policy.yaml" <<'EOF'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    userGroups: ["system:serviceaccounts"]
  - level: None
EOF
extra_apiserver=()
read -r -a extra_apiserver <<<"${SPIDERPOOL_CLUSTER_APISERVER_ARGS:-}"
spawn kube-apiserver "${bin}/kube-apiserver" \
  --etcd-servers=http://127.0.0.1:2379 \
  --bind-address=0.0.0.0 --secure-port=6443 --advertise-address="${node_ip}" \
  --tls-cert-file="${pki}/apiserver.crt" --tls-private-key-file="${pki}/apiserver.key" \
  --client-ca-file="${pki}/ca.crt" \
  --kubelet-client-certificate="${pki}/apiserver-kubelet.crt" --kubelet-client-key="${pki}/apiserver-kubelet.key" \
  --kubelet-certificate-authority="${pki}/ca.crt" --kubelet-preferred-address-types=InternalIP \
  --authorization-mode=Node,RBAC \
  --enable-admission-plugins=NodeRestriction,OwnerReferencesPermissionEnforcement \
  --enable-aggregator-routing=true \
  --service-account-issuer="https://kubernetes.default.svc.cluster.local" \
  --service-account-key-file="${pki}/sa.pub" --service-account-signing-key-file="${pki}/sa.key" \
  --service-cluster-ip-range="${service_cidr}" \
  --allow-privileged=true --profiling=false \
  --audit-policy-file="${state}/audit-policy.yaml" --audit-log-path="${state}/audit/audit.log" \
  --audit-log-maxsize=200 --audit-log-maxbackup=3 \
  "${extra_apiserver[@]}"
readyz() { [[ $(in_node curl -fsS --max-time 2 --cacert "${pki}/ca.crt" --cert "${pki}/admin.crt" --key "${pki}/admin.key" "https://${node_ip}:6443/readyz") == ok ]]; }
wait_for kube-apiserver "kube-apiserver /readyz" readyz
log "kube-apiserver ${k8s_version} ready on ${node_ip}:6443 after $(elapsed)s"

spawn kube-controller-manager "${bin}/kube-controller-manager" \
  --kubeconfig="${state}/kcm.kubeconfig" --authentication-kubeconfig="${state}/kcm.kubeconfig" \
  --authorization-kubeconfig="${state}/kcm.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port=10257 --leader-elect=false \
  --use-service-account-credentials=true --root-ca-file="${pki}/ca.crt" \
  --service-account-private-key-file="${pki}/sa.key" \
  --cluster-signing-cert-file="${pki}/ca.crt" --cluster-signing-key-file="${pki}/ca.key" \
  --allocate-node-cidrs=false --cluster-name=spcl
spawn kube-scheduler "${bin}/kube-scheduler" \
  --kubeconfig="${state}/scheduler.kubeconfig" --authentication-kubeconfig="${state}/scheduler.kubeconfig" \
  --authorization-kubeconfig="${state}/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port=10259 --leader-elect=false

# --- runtime -----------------------------------------------------------------------------------------
# restrict_oom_score_adj: this machine refuses negative oom_score_adj (runc then fails with
# "can't get final child's PID from pipe: EOF"); cgroupfs, not systemd (no systemd as PID 1)
cat >"${state}/containerd.toml" <<EOF
version = 2
root = "${state}/containerd/root"
state = "${state}/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "${sock}"
[ttrpc]
  address = "${sock}.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "${state}/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${pause_image}"
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "${cni_bin}"
    conf_dir = "${cni_conf}"
    max_conf_num = 1
EOF
spawn containerd containerd --config "${state}/containerd.toml"
ctr_() { ctr --address "${sock}" "$@"; }
wait_for containerd "containerd's socket" ctr_ version
log "containerd $(containerd --version | awk '{print $3}') ready after $(elapsed)s"

# the runtime's CNI bin dir: Debian's plugins; the chart's init container adds `spiderpool`
for p in bridge loopback host-local; do ln -s "/usr/lib/cni/${p}" "${cni_bin}/${p}"; done
mkdir -p "${state}/logs/cni"
cat >"${cni_conf}/10-spcl.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "spcl",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "${bridge}",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "spiderpool",
        "ipam_unix_socket_path": "${ipam_socket}",
        "log_file_path": "${state}/logs/cni/spiderpool.log"
      }
    }
  ]
}
EOF

import_started=${EPOCHREALTIME/./}
for tar in ${images} ${SPIDERPOOL_CLUSTER_IMAGES:-}; do
  [[ -s ${tar} ]] || die "image archive ${tar} not found"
  ctr_ -n k8s.io images import --no-unpack=false "${tar}" >>"${logs}/images.log" 2>&1 ||
    die "ctr could not import ${tar}; see ${logs}/images.log"
done
now=${EPOCHREALTIME/./}
log "images imported in $(((now - import_started) / 1000)) ms: $(ctr_ -n k8s.io images ls -q | grep -v '^sha256:' | tr '\n' ' ')"

# --- kubelet -----------------------------------------------------------------------------------------
cat >"${state}/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://${sock}
# this machine is a container with cgroup v1 hierarchies and no systemd
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
cgroupsPerQOS: false
enforceNodeAllocatable: []
address: ${node_ip}
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: ${pki}/kubelet-serving.crt
tlsPrivateKeyFile: ${pki}/kubelet-serving.key
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: false
  x509:
    clientCAFile: ${pki}/ca.crt
authorization:
  mode: AlwaysAllow
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
# the imported images are all there is: never collect them, never evict for disk
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 50Mi
  nodefs.available: 1%
  imagefs.available: 1%
  nodefs.inodesFree: 1%
serializeImagePulls: false
EOF
spawn kubelet "${bin}/kubelet" --config="${state}/kubelet.yaml" --kubeconfig="${state}/kubelet.kubeconfig" \
  --root-dir="${state}/kubelet" --cert-dir="${state}/kubelet/pki" \
  --hostname-override="${node}" --node-ip="${node_ip}" --v=1
node_ready() { [[ $(kubectl get node "${node}" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}') == True ]]; }
wait_for kubelet "node ${node} Ready" node_ready
wait_for kube-controller-manager "ServiceAccount default/default" kubectl -n default get serviceaccount default
log "node ${node} Ready after $(elapsed)s"

cat >"${state}/cluster.env.tmp" <<EOF
# Written by hack/cluster-up.sh once the cluster was ready; removed by hack/cluster-down.sh.
SPIDERPOOL_CLUSTER_DIR=${state}
SPIDERPOOL_CLUSTER_NETNS=${netns}
SPIDERPOOL_CLUSTER_NODE=${node}
SPIDERPOOL_CLUSTER_NODE_IP=${node_ip}
SPIDERPOOL_CLUSTER_SERVER=https://${node_ip}:6443
SPIDERPOOL_CLUSTER_KUBECONFIG=${state}/admin.kubeconfig
SPIDERPOOL_CLUSTER_KUBECTL=${bin}/kubectl
SPIDERPOOL_CLUSTER_HELM=${helm}
SPIDERPOOL_CLUSTER_CRICTL=${crictl}
SPIDERPOOL_CLUSTER_CONTAINERD_SOCKET=${sock}
SPIDERPOOL_CLUSTER_CNI_BIN_DIR=${cni_bin}
SPIDERPOOL_CLUSTER_CNI_CONF_DIR=${cni_conf}
SPIDERPOOL_CLUSTER_CNI_LOG=${state}/logs/cni/spiderpool.log
SPIDERPOOL_CLUSTER_IPAM_SOCKET=${ipam_socket}
SPIDERPOOL_CLUSTER_BRIDGE=${bridge}
SPIDERPOOL_CLUSTER_AUDIT_LOG=${state}/audit/audit.log
SPIDERPOOL_CLUSTER_PAUSE_IMAGE=${pause_image}
SPIDERPOOL_CLUSTER_TEST_IMAGE=${test_image}
SPIDERPOOL_CLUSTER_LOGS=${logs}
SPIDERPOOL_CLUSTER_START_SECONDS=$(elapsed)
EOF
mv -f "${state}/cluster.env.tmp" "${state}/cluster.env"
ready=true
log "cluster ready in $(elapsed)s; kubectl: nsenter --net=/var/run/netns/${netns} ${bin}/kubectl --kubeconfig ${state}/admin.kubeconfig"
printf '%s\n' "${state}/cluster.env"
