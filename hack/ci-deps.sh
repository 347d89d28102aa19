#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# ci-deps.sh: install the Debian packages the local control plane scripts need.
#
# CI starts from a fresh Debian 12 image, so whatever hack/k8s-build.sh, k8s-up.sh and
# k8s-down.sh use beyond the image must be installed here. Idempotent: when every
# package is already installed it touches nothing (not even the apt lists).
#   openssl          certificates and keys (k8s-up.sh)
#   curl             readiness probes (k8s-up.sh)
#   ca-certificates  TLS trust for the Go module proxy (k8s-build.sh)
#   time             GNU /usr/bin/time -v, to measure build time and peak memory
#   util-linux       flock, setsid (Essential on Debian; listed to be explicit)
#   coreutils        base64, mktemp (Essential on Debian)
# Go itself is not a Debian package here (bookworm's is too old): the image provides
# /usr/local/go; this script only checks that it is there.
#
# Usage: hack/ci-deps.sh [--lint]   (--lint adds shellcheck, for checking hack/*.sh)
# Must run as root when something is missing.
set -euo pipefail

log() { printf 'ci-deps: %s\n' "$*" >&2; }

packages=(openssl curl ca-certificates time util-linux coreutils)
if [[ ${1:-} == --lint ]]; then packages+=(shellcheck); fi

missing=()
for p in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "${p}" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("${p}")
  fi
done

if ((${#missing[@]} > 0)); then
  ((EUID == 0)) || { log "error: need root to install: ${missing[*]}"; exit 1; }
  log "installing: ${missing[*]}"
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
else
  log "all present: ${packages[*]}"
fi

go=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
if [[ -x ${go} ]]; then
  log "go: $("${go}" version)"
else
  log "error: no Go toolchain (looked for 'go' on PATH and /usr/local/go/bin/go); hack/k8s-build.sh needs Go >= 1.26"
  exit 1
fi
