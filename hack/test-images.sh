#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# test-images.sh: the two small images the one-node cluster needs besides spiderpool's, made
# here from Debian's busybox-static with umoci (no registry, no container engine):
#   localhost/spcl/pause:1    the sandbox ("pause") image: PID 1 sleeps; the runtime stops
#                             sandboxes with SIGKILL
#   localhost/spcl/busybox:1  the test Pods' image: a shell that sleeps and exits at SIGTERM,
#                             so Pods go away at once when deleted; busybox's ip, wget, ...
# Cached by busybox version in ${XDG_CACHE_HOME:-~/.cache}/spiderpool/images; prints the two
# archive paths, one per line. Progress goes to stderr.
set -euo pipefail
cache=${SPIDERPOOL_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spiderpool/image}
log() { printf 'test-images: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
for c in umoci dpkg-deb apt-get jq tar; do
  command -v "$c" >/dev/null || die "$c not found; run hack/setup.sh"
done

version=$(apt-cache show --no-all-versions busybox-static 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
if [[ -z $version ]]; then
  log "no package list entry for busybox-static; running apt-get update"
  apt-get update -q >&2
  version=$(apt-cache show --no-all-versions busybox-static | sed -n 's/^Version: //p' | head -n 1)
fi
[[ -n $version ]] || die "apt knows no busybox-static"
key=${version//[^A-Za-z0-9.+-]/_}
pause=$cache/pause-$key.tar
busybox=$cache/busybox-$key.tar
if [[ -s $pause && -s $busybox ]]; then
  printf '%s\n%s\n' "$pause" "$busybox"
  exit 0
fi

mkdir -p "$cache/debs"
deb=$cache/debs/busybox-static_${version//:/%3a}_amd64.deb
[[ -s $deb ]] || (cd "$cache/debs" && apt-get download -q -o APT::Sandbox::User=root "busybox-static=$version" >&2)
[[ -s $deb ]] || die "could not download busybox-static $version"

work=$(mktemp -d "${TMPDIR:-/tmp}/spcl-images.XXXXXX")
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
dpkg-deb -x "$deb" "$rootfs"
rm -rf "${rootfs:?}/usr/share"
for a in $("$rootfs/bin/busybox" --list-full); do
  [[ -e $rootfs/$a || -L $rootfs/$a ]] || { mkdir -p "$rootfs/$(dirname "$a")"; ln -s /bin/busybox "$rootfs/$a"; }
done
mkdir -p "$rootfs"/{tmp,proc,sys,dev,etc,root}
chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"

# build NAME ARCHIVE CONFIG-ARGS...: one image from the busybox rootfs
build() {
  local name=$1 out=$2 layout=$work/oci-$1 bundle=$work/bundle-$1
  shift 2
  umoci init --layout "$layout"
  umoci new --image "$layout:1"
  umoci unpack --image "$layout:1" "$bundle" >/dev/null
  cp -a "$rootfs/." "$bundle/rootfs/"
  umoci repack --image "$layout:1" --history.created_by "hack/test-images.sh: busybox-static $version" "$bundle"
  umoci config --image "$layout:1" --os linux --architecture amd64 --config.workingdir / \
    --config.env PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
  umoci gc --layout "$layout"
  jq --arg n "localhost/spcl/$name:1" '.manifests |= map(.annotations["io.containerd.image.name"] = $n)' \
    "$layout/index.json" >"$work/index.json"
  mv "$work/index.json" "$layout/index.json"
  tar --sort=name --owner=0 --group=0 --numeric-owner -C "$layout" -cf "$out.tmp" .
  mv -f "$out.tmp" "$out"
  log "localhost/spcl/$name:1 -> $out ($(du -h "$out" | cut -f1))"
}
build pause "$pause" --config.entrypoint /bin/sleep --config.cmd 2147483647
build busybox "$busybox" --config.entrypoint /bin/sh \
  --config.cmd -c --config.cmd "trap 'exit 0' TERM INT; sleep 2147483647 & wait"
printf '%s\n%s\n' "$pause" "$busybox"
