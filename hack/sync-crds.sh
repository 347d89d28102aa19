#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Copies the CRDs the build generates from io.spiderpool.k8s.api (target/kubernetes/) into the
# Helm chart (helm/spiderpool/crds/), named as Spiderpool's chart names them.
# GeneratedCrdsInSyncIT fails until this has been run after a model change.
#
#   hack/sync-crds.sh           copy what the last build generated
#   hack/sync-crds.sh --build   run 'mvn -DskipTests package' first
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
group=spiderpool.spidernet.io
src=$root/target/kubernetes
dst=$root/helm/spiderpool/crds

if [[ ${1:-} == --build ]]; then
  (cd "$root" && mvn -B -q -DskipTests package)
fi

shopt -s nullglob
generated=("$src"/*."$group"-v1.yml)
if ((${#generated[@]} == 0)); then
  echo "no generated CRDs in $src: run 'mvn -DskipTests package' (or $0 --build) first" >&2
  exit 1
fi

mkdir -p "$dst"
rm -f "$dst/${group}"_*.yaml # drop copies of kinds that no longer exist
for f in "${generated[@]}"; do
  plural=$(basename "$f" ."$group"-v1.yml)
  cp "$f" "$dst/${group}_${plural}.yaml"
  echo "helm/spiderpool/crds/${group}_${plural}.yaml"
done
