#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One-time set-up of a fresh Debian 12 machine for building and testing (run as root):
# installs the system packages the build and the tests need. Idempotent.
set -euo pipefail
need=()
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
