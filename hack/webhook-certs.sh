#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# webhook-certs.sh DIR [NAMESPACE] [SERVICE]: a CA and a serving certificate for the admission
# webhooks, for the plain manifests (src/main/kubernetes, whose kustomization.yaml reads DIR=tls/):
#   DIR/ca.crt, DIR/tls.crt, DIR/tls.key
# The certificate names the webhook Service (default spiderpool-agent in kube-system) as the API
# server sees it: SERVICE, SERVICE.NAMESPACE, SERVICE.NAMESPACE.svc, ....svc.cluster.local.
# Valid for 10 years; the daemons reload the files when the Secret changes.
set -euo pipefail
dir=${1:?usage: $0 DIR [NAMESPACE] [SERVICE]}
ns=${2:-kube-system}
svc=${3:-spiderpool-agent}
command -v openssl >/dev/null || { echo "openssl not found (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/openssl.cnf" <<CNF
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
subjectAltName = DNS:${svc},DNS:${svc}.${ns},DNS:${svc}.${ns}.svc,DNS:${svc}.${ns}.svc.cluster.local
authorityKeyIdentifier = keyid
CNF
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/ca.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/tls.key" 2>/dev/null
openssl req -x509 -new -config "$work/openssl.cnf" -extensions ca -key "$work/ca.key" \
  -subj "/CN=spiderpool-webhook-ca" -days 3650 -out "$dir/ca.crt"
openssl req -new -config "$work/openssl.cnf" -key "$dir/tls.key" -subj "/CN=${svc}.${ns}.svc" -out "$work/tls.csr"
openssl x509 -req -in "$work/tls.csr" -CA "$dir/ca.crt" -CAkey "$work/ca.key" -CAcreateserial \
  -CAserial "$work/ca.srl" -days 3650 -extfile "$work/openssl.cnf" -extensions server -out "$dir/tls.crt" 2>/dev/null
chmod 600 "$dir/tls.key"
echo "$dir/ca.crt, tls.crt, tls.key for ${svc}.${ns}.svc" >&2
