#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# k8s-up.sh: start a throwaway etcd + kube-apiserver on 127.0.0.1 for integration tests.
#
# Uses the binaries from hack/k8s-build.sh (run that first; this script never builds).
# Modelled on envtest's control plane: no controller-manager, scheduler or kubelet, so
# the ServiceAccount admission plugin is off (nothing creates default ServiceAccounts).
# MutatingAdmissionWebhook and ValidatingAdmissionWebhook are on; webhooks must use
# clientConfig.url=https://127.0.0.1:<port>/... with a caBundle, never clientConfig.service.
#
# What it does:
#   * makes a fresh CA, a serving cert for 127.0.0.1/localhost, an admin client cert
#     (O=system:masters), an admin bearer token, a service-account key pair, a spare
#     serving cert for a test webhook server and the client cert the API server presents
#     to every admission webhook (pki/admission.yaml), all under $SPIDERPOOL_CP_DIR/pki;
#   * starts etcd (data in a fresh temp dir) and kube-apiserver, both bound to 127.0.0.1
#     only, on free ports unless given, as their own sessions so they outlive this script;
#   * waits until /readyz is ok and namespace "default" exists;
#   * writes $SPIDERPOOL_CP_DIR/admin.kubeconfig (certs embedded) and, last of all,
#     $SPIDERPOOL_CP_DIR/cp.env (KEY=VALUE, readable by java.util.Properties).
# Exit status 0 means ready. Stdout is the kubeconfig path only; progress goes to stderr.
# On failure everything started is stopped again. Stop with hack/k8s-down.sh.
#
# Environment:
#   SPIDERPOOL_CP_DIR              state dir (default /tmp/spiderpool-cp)
#   SPIDERPOOL_CP_APISERVER_PORT   secure port (default: a free one)
#   SPIDERPOOL_CP_ETCD_PORT        etcd client port (default: a free one)
#   SPIDERPOOL_CP_ETCD_PEER_PORT   etcd peer port (default: a free one)
#   SPIDERPOOL_CP_TIMEOUT          seconds to wait for readiness (default 60)
#   SPIDERPOOL_CP_APISERVER_ARGS   extra kube-apiserver flags, space-separated
#   SPIDERPOOL_K8S_DIR, SPIDERPOOL_K8S_VERSION   as for hack/k8s-build.sh
#   SPIDERPOOL_K8S_BIN_DIR         dir with kube-apiserver and etcd (default: the build's)
#   SPIDERPOOL_ETCD_BIN            etcd binary to use instead (e.g. /usr/bin/etcd)
set -euo pipefail

hack_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=hack/k8s-versions.env
. "${hack_dir}/k8s-versions.env"

k8s_version=${SPIDERPOOL_K8S_VERSION:-${K8S_VERSION}}
base=${SPIDERPOOL_K8S_DIR:-${XDG_CACHE_HOME:-${HOME}/.cache}/spiderpool/k8s}
bin_dir=${SPIDERPOOL_K8S_BIN_DIR:-${base}/${k8s_version}}
apiserver_bin=${bin_dir}/kube-apiserver
etcd_bin=${SPIDERPOOL_ETCD_BIN:-${bin_dir}/etcd}
state=${SPIDERPOOL_CP_DIR:-/tmp/spiderpool-cp}
timeout=${SPIDERPOOL_CP_TIMEOUT:-60}
host=127.0.0.1
pki=${state}/pki
logs=${state}/logs

started_us=${EPOCHREALTIME/./}
log() { printf 'k8s-up: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
elapsed() { local now=${EPOCHREALTIME/./}; printf '%d.%02d' $(((now - started_us) / 1000000)) $(((now - started_us) / 10000 % 100)); }

for b in "${apiserver_bin}" "${etcd_bin}"; do
  [[ -x ${b} ]] || die "${b} not found; run hack/k8s-build.sh first"
done
for c in openssl curl setsid base64; do
  command -v "${c}" >/dev/null || die "${c} not found; run hack/ci-deps.sh"
done
# cp.env is read as unquoted KEY=VALUE, so keep paths simple.
[[ ${state} =~ ^/[A-Za-z0-9._/-]+$ ]] || die "SPIDERPOOL_CP_DIR must be an absolute path without spaces or quotes"

for comp in kube-apiserver etcd; do
  pid=$(cat "${state}/${comp}.pid" 2>/dev/null || true)
  cmd=$({ tr '\0' ' ' <"/proc/${pid}/cmdline"; } 2>/dev/null || true)
  if [[ ${pid} =~ ^[0-9]+$ && ( ${cmd} == *"${state}/pki/"* || ${cmd} == *spiderpool-cp-data.* ) ]]; then
    die "a control plane is already running from ${state} (${comp} pid ${pid}); run hack/k8s-down.sh first"
  fi
done

rm -rf "${pki}" "${state}/cp.env" "${state}/admin.kubeconfig" "${state}"/*.pid
mkdir -p "${pki}" "${logs}"
chmod 700 "${state}" "${pki}"
data=$(mktemp -d "${TMPDIR:-/tmp}/spiderpool-cp-data.XXXXXX")
# Recorded first, so that k8s-down.sh can clean up even after a failed start.
printf '%s\n' "${data}" >"${state}/data-dir"

ready=false
on_exit() {
  if [[ ${ready} != true ]]; then
    local f
    for f in "${logs}/etcd.log" "${logs}/kube-apiserver.log"; do
      [[ -s ${f} ]] && { log "last lines of ${f}:"; tail -n 20 "${f}" >&2; }
    done
    log "start failed; stopping what was started"
    SPIDERPOOL_CP_DIR=${state} "${hack_dir}/k8s-down.sh" >&2 || true
  fi
}
trap on_exit EXIT

# --- certificates -------------------------------------------------------------------
cat >"${pki}/openssl.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
EOF

# RSA keys in PKCS#8 PEM: read by Go, by fabric8's kubeconfig loader and by Vert.x.
new_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "${pki}/$1.key" 2>/dev/null; }
# issue NAME SUBJECT EXTENSIONS: a leaf certificate signed by the test CA.
issue() {
  openssl req -new -config "${pki}/openssl.cnf" -key "${pki}/$1.key" -subj "$2" -out "${pki}/$1.csr"
  openssl x509 -req -in "${pki}/$1.csr" -CA "${pki}/ca.crt" -CAkey "${pki}/ca.key" \
    -CAserial "${pki}/ca.srl" -CAcreateserial -days 365 \
    -extfile "${pki}/openssl.cnf" -extensions "$3" -out "${pki}/$1.crt" 2>/dev/null
  rm -f "${pki}/$1.csr"
}
# RSA key generation dominates; do it in parallel on both cores.
key_jobs=()
for k in ca apiserver admin webhook webhook-client sa; do
  new_key "${k}" &
  key_jobs+=($!)
done
for j in "${key_jobs[@]}"; do wait "${j}" || die "openssl could not generate a key"; done
openssl req -x509 -new -config "${pki}/openssl.cnf" -extensions ca -key "${pki}/ca.key" \
  -subj "/CN=spiderpool-test-ca" -days 365 -out "${pki}/ca.crt"
issue apiserver "/CN=kube-apiserver" server
issue admin "/O=system:masters/CN=spiderpool-admin" client
issue webhook "/CN=spiderpool-test-webhook" server
# the client certificate the API server presents to admission webhooks (admission.yaml below),
# so a webhook can serve only the API server (SPIDERPOOL_WEBHOOK_CLIENT_CA)
issue webhook-client "/CN=kube-apiserver-webhook-client" client
cat >"${pki}/webhook-client.kubeconfig" <<EOF
apiVersion: v1
kind: Config
users:
- name: "*"
  user:
    client-certificate: ${pki}/webhook-client.crt
    client-key: ${pki}/webhook-client.key
EOF
cat >"${pki}/admission.yaml" <<EOF
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: ValidatingAdmissionWebhook
  configuration:
    apiVersion: apiserver.config.k8s.io/v1
    kind: WebhookAdmissionConfiguration
    kubeConfigFile: ${pki}/webhook-client.kubeconfig
- name: MutatingAdmissionWebhook
  configuration:
    apiVersion: apiserver.config.k8s.io/v1
    kind: WebhookAdmissionConfiguration
    kubeConfigFile: ${pki}/webhook-client.kubeconfig
EOF
openssl pkey -in "${pki}/sa.key" -pubout -out "${pki}/sa.pub"
token=$(openssl rand -hex 24)
printf '%s\n' "${token}" >"${pki}/admin.token"
printf '%s,spiderpool-admin-token,spiderpool-admin-token,"system:masters"\n' "${token}" >"${pki}/tokens.csv"
chmod 600 "${pki}"/*.key "${pki}/admin.token" "${pki}/tokens.csv"
log "certificates ready after $(elapsed)s"

# --- processes ------------------------------------------------------------------------
# A random port below the kernel's ephemeral range (so outgoing connections do not take
# it meanwhile) on which nothing at 127.0.0.1 accepts connections. Another process may
# still grab it before we bind; start_with_retry handles that.
free_port() {
  local low p i
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  ((low > 20000)) || low=32768
  for ((i = 0; i < 100; i++)); do
    p=$((10000 + (RANDOM * 32768 + RANDOM) % (low - 10000)))
    if ! (exec 3<>"/dev/tcp/${host}/${p}") 2>/dev/null; then
      printf '%s\n' "${p}"
      return 0
    fi
  done
  die "no free port found"
}

# spawn NAME ARGS...: run in a new session, detached from this script's terminal and
# process group, logging to logs/NAME.log. The wrapper writes its own pid and then
# execs, so the pid file holds the server's pid whether or not setsid forks.
spawn() {
  local name=$1
  shift
  : >"${logs}/${name}.log"
  # shellcheck disable=SC2016 # $$ and $@ are for the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "${state}/${name}.pid" "$@" \
    </dev/null >>"${logs}/${name}.log" 2>&1 &
  local i
  for ((i = 0; i < 50; i++)); do [[ -s ${state}/${name}.pid ]] && return 0; sleep 0.02; done
  die "${name} did not start"
}

# wait_for NAME CHECK...: poll CHECK until it succeeds; fail early if NAME exited.
# Returns 2 if the process died because its port was taken.
wait_for() {
  local name=$1 pid deadline=$((SECONDS + timeout))
  shift
  pid=$(cat "${state}/${name}.pid")
  until "$@"; do
    if ! kill -0 "${pid}" 2>/dev/null; then
      grep -q 'address already in use' "${logs}/${name}.log" && return 2
      die "${name} exited; see ${logs}/${name}.log"
    fi
    ((SECONDS < deadline)) || die "${name} not ready after ${timeout}s; see ${logs}/${name}.log"
    sleep 0.1
  done
}

etcd_healthy() { curl -fsS --max-time 1 "http://${host}:${etcd_port}/health" 2>/dev/null | grep -q '"health":"true"'; }
admin_curl() {
  curl -fsS --max-time 2 --cacert "${pki}/ca.crt" --cert "${pki}/admin.crt" --key "${pki}/admin.key" \
    "https://${host}:${apiserver_port}$1"
}
apiserver_ready() { [[ "$(admin_curl /readyz 2>/dev/null)" == ok ]] && admin_curl /api/v1/namespaces/default >/dev/null 2>&1; }

etcd_args=()
# etcd >= 3.5: skipping fsync makes a throwaway store much faster on slow disks.
if "${etcd_bin}" --help 2>&1 | grep -q -- '--unsafe-no-fsync'; then etcd_args+=(--unsafe-no-fsync); fi

start_etcd() {
  # (set -e is off inside start_with_retry's "||", hence the explicit checks)
  etcd_port=${SPIDERPOOL_CP_ETCD_PORT:-$(free_port)}
  etcd_peer_port=${SPIDERPOOL_CP_ETCD_PEER_PORT:-$(free_port)}
  [[ ${etcd_port} =~ ^[0-9]+$ && ${etcd_peer_port} =~ ^[0-9]+$ ]] || die "no usable etcd ports"
  spawn etcd "${etcd_bin}" --name=default --data-dir="${data}/etcd" \
    --listen-client-urls="http://${host}:${etcd_port}" --advertise-client-urls="http://${host}:${etcd_port}" \
    --listen-peer-urls="http://${host}:${etcd_peer_port}" --initial-advertise-peer-urls="http://${host}:${etcd_peer_port}" \
    --initial-cluster="default=http://${host}:${etcd_peer_port}" "${etcd_args[@]}"
  wait_for etcd etcd_healthy
}

start_apiserver() {
  apiserver_port=${SPIDERPOOL_CP_APISERVER_PORT:-$(free_port)}
  [[ ${apiserver_port} =~ ^[0-9]+$ ]] || die "no usable kube-apiserver port"
  local -a extra=()
  read -r -a extra <<<"${SPIDERPOOL_CP_APISERVER_ARGS:-}"
  spawn kube-apiserver "${apiserver_bin}" \
    --etcd-servers="http://${host}:${etcd_port}" \
    --bind-address="${host}" --advertise-address="${host}" --secure-port="${apiserver_port}" \
    --cert-dir="${pki}" --tls-cert-file="${pki}/apiserver.crt" --tls-private-key-file="${pki}/apiserver.key" \
    --client-ca-file="${pki}/ca.crt" --token-auth-file="${pki}/tokens.csv" \
    --authorization-mode=RBAC \
    --service-account-issuer="https://${host}:${apiserver_port}" \
    --service-account-key-file="${pki}/sa.pub" --service-account-signing-key-file="${pki}/sa.key" \
    --service-cluster-ip-range=10.0.0.0/24 \
    --enable-admission-plugins=MutatingAdmissionWebhook,ValidatingAdmissionWebhook \
    --admission-control-config-file="${pki}/admission.yaml" \
    --disable-admission-plugins=ServiceAccount \
    --allow-privileged=true --endpoint-reconciler-type=none --profiling=false \
    "${extra[@]}"
  wait_for kube-apiserver apiserver_ready
}

# start_with_retry NAME GIVEN: retry on a lost race for a port we picked; GIVEN is
# non-empty when the caller fixed the ports, and then a taken port is an error.
start_with_retry() {
  local attempt rc
  for attempt in 1 2 3; do
    rc=0
    "start_$1" || rc=$?
    ((rc == 0)) && return 0
    ((rc == 2)) || exit "${rc}"
    [[ -z $2 ]] || die "$1: a port given in SPIDERPOOL_CP_*_PORT is already in use"
    log "$1: port taken (attempt ${attempt}), picking another"
  done
  die "$1: could not bind a port"
}

start_with_retry etcd "${SPIDERPOOL_CP_ETCD_PORT:-}${SPIDERPOOL_CP_ETCD_PEER_PORT:-}"
log "etcd $("${etcd_bin}" --version | sed -n 's/^etcd Version: //p') ready on ${host}:${etcd_port} after $(elapsed)s"
start_with_retry apiserver "${SPIDERPOOL_CP_APISERVER_PORT:-}"
log "kube-apiserver ${k8s_version} ready on ${host}:${apiserver_port} after $(elapsed)s"

# --- outputs ----------------------------------------------------------------------------
b64() { base64 -w0 "$1"; }
kubeconfig=${state}/admin.kubeconfig
cat >"${kubeconfig}.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: spiderpool-test
  cluster:
    server: https://${host}:${apiserver_port}
    certificate-authority-data: $(b64 "${pki}/ca.crt")
users:
- name: spiderpool-admin
  user:
    client-certificate-data: $(b64 "${pki}/admin.crt")
    client-key-data: $(b64 "${pki}/admin.key")
contexts:
- name: spiderpool-test
  context:
    cluster: spiderpool-test
    user: spiderpool-admin
current-context: spiderpool-test
EOF
chmod 600 "${kubeconfig}.tmp"
mv -f "${kubeconfig}.tmp" "${kubeconfig}"

cat >"${state}/cp.env.tmp" <<EOF
# Written by hack/k8s-up.sh once the control plane was ready; removed by hack/k8s-down.sh.
SPIDERPOOL_CP_DIR=${state}
SPIDERPOOL_CP_KUBECONFIG=${kubeconfig}
SPIDERPOOL_CP_SERVER=https://${host}:${apiserver_port}
SPIDERPOOL_CP_APISERVER_PORT=${apiserver_port}
SPIDERPOOL_CP_ETCD_URL=http://${host}:${etcd_port}
SPIDERPOOL_CP_ETCD_PORT=${etcd_port}
SPIDERPOOL_CP_ETCD_PEER_PORT=${etcd_peer_port}
SPIDERPOOL_CP_CA_CRT=${pki}/ca.crt
SPIDERPOOL_CP_CA_KEY=${pki}/ca.key
SPIDERPOOL_CP_ADMIN_CRT=${pki}/admin.crt
SPIDERPOOL_CP_ADMIN_KEY=${pki}/admin.key
SPIDERPOOL_CP_ADMIN_TOKEN_FILE=${pki}/admin.token
SPIDERPOOL_CP_WEBHOOK_CRT=${pki}/webhook.crt
SPIDERPOOL_CP_WEBHOOK_KEY=${pki}/webhook.key
SPIDERPOOL_CP_WEBHOOK_CLIENT_CRT=${pki}/webhook-client.crt
SPIDERPOOL_CP_WEBHOOK_CLIENT_KEY=${pki}/webhook-client.key
SPIDERPOOL_CP_K8S_VERSION=${k8s_version}
SPIDERPOOL_CP_APISERVER_PID=$(cat "${state}/kube-apiserver.pid")
SPIDERPOOL_CP_ETCD_PID=$(cat "${state}/etcd.pid")
SPIDERPOOL_CP_DATA_DIR=${data}
SPIDERPOOL_CP_START_SECONDS=$(elapsed)
EOF
mv -f "${state}/cp.env.tmp" "${state}/cp.env"

ready=true
log "control plane ready in $(elapsed)s; export KUBECONFIG=${kubeconfig}"
printf '%s\n' "${kubeconfig}"
