#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# image.sh: builds the one spiderpool image (JVM mode) as an OCI archive, without a registry or a
# container engine: the base is made from Debian packages, the Java runtimes are jlinked here, and
# umoci (Debian's OCI image tool) packs the layers. Import it with
#   ctr -n k8s.io images import target/spiderpool-image.tar
# (the archive names the image through containerd's io.containerd.image.name annotation).
#
# Layers:
#   1. base      glibc, libgcc, libstdc++ and zlib from Debian packages (apt-get download, cached),
#                busybox-static as /bin/sh and the small tools the install script uses,
#                /opt/spiderpool/jre (a jlinked JDK 17 with the modules the application uses) and
#                /opt/spiderpool/cni/runtime (a jlinked java.base runtime for the host plugin)
#   2. app       /opt/spiderpool/app (target/quarkus-app), /opt/spiderpool/bin/spiderpool (the
#                entrypoint), /opt/spiderpool/cni/{spiderpool-cni.jar, spiderpool-cni.aot,
#                spiderpool, install.sh, ID} (what the init container installs on the host)
#
# The host plugin's runtime is jlinked from Temurin 25 (SPIDERPOOL_CNI_JDK): it links against
# glibc only (>= 2.17), no libstdc++ or zlib, so a node needs nothing else; its class-data archive
# is a JDK 25 AOT cache trained here on the plugin's own path (CniEntry --train) and checked to
# map (-XX:AOTMode=on) before the image is written.
#
# Usage: hack/image.sh [--out FILE] [--name IMAGE]
#   defaults: target/spiderpool-image.tar, localhost/spiderpool/spiderpool:<project version>
# Needs: target/quarkus-app (mvn -DskipTests package; built when missing), umoci, dpkg-deb,
# apt-get, jq, strip (binutils), JDK 17 with jmods (Debian's openjdk-17-jdk-headless), Temurin 25.
# Root is needed only for the final check that runs the image's entrypoint in its rootfs.
# Prints the archive path as the only line on stdout; progress, sizes and timings go to stderr.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/target/spiderpool-image.tar
name=
while (($#)); do
  case $1 in
    --out) out=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    *) echo "usage: $0 [--out FILE] [--name IMAGE]" >&2; exit 2 ;;
  esac
done
jdk=${SPIDERPOOL_IMAGE_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
cni_jdk=${SPIDERPOOL_CNI_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
cache=${SPIDERPOOL_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spiderpool/image}
work=$root/target/image
started=$SECONDS

log() { printf 'image: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
step() { log "$* (+$((SECONDS - started))s)"; }

for c in umoci dpkg-deb apt-get jq strip sha256sum tar; do
  command -v "$c" >/dev/null || die "$c not found; run hack/setup.sh (it installs umoci, jq, binutils)"
done
[[ -x $jdk/bin/jlink && -d $jdk/jmods ]] || die "no JDK with jmods at $jdk (Debian: openjdk-17-jdk-headless); set SPIDERPOOL_IMAGE_JDK"
[[ -x $cni_jdk/bin/jlink ]] || die "no JDK 25 at $cni_jdk for the host plugin's runtime; set SPIDERPOOL_CNI_JDK"

cd "$root"
if ! ls target/quarkus-app/app/spiderpool-*.jar >/dev/null 2>&1 || [[ -n $(find src/main/java src/main/resources src/main/resources-filtered pom.xml -newer target/quarkus-app/quarkus-run.jar -print -quit) ]]; then
  step "building the application (mvn -DskipTests package)"
  mvn -B -q -DskipTests package >&2
fi
appjar=$(find target/quarkus-app/app -name 'spiderpool-*.jar' | head -n 1)
version=$(basename "$appjar" .jar)
version=${version#spiderpool-}
name=${name:-localhost/spiderpool/spiderpool:${version}}
tag=${name##*:}
[[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]*$ && $name == *:* ]] || die "image name must end in :TAG, got '$name'"

rm -rf "$work"
base=$work/base
app=$work/app
mkdir -p "$base" "$app" "$cache/debs"

# --- layer 1: Debian packages ---------------------------------------------------------------------
packages=(libc6 libgcc-s1 libstdc++6 zlib1g busybox-static)
deb_of() { # the cached .deb of the candidate version (apt's own file name), downloaded when missing
  local version file
  version=$(apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
  [[ -n $version ]] || return 1
  file=$cache/debs/${1}_${version//:/%3a}_amd64.deb
  if [[ ! -s $file ]]; then
    (cd "$cache/debs" && apt-get download -q -o APT::Sandbox::User=root "$1=$version" >&2) || return 1
  fi
  [[ -s $file ]] || return 1
  printf '%s\n' "$file"
}
step "Debian packages: ${packages[*]}"
debs=()
for p in "${packages[@]}"; do
  if ! d=$(deb_of "$p"); then
    log "no package list entry for $p; running apt-get update"
    apt-get update -q >&2
    d=$(deb_of "$p") || die "apt-get could not provide $p"
  fi
  debs+=("$d")
done
for d in "${debs[@]}"; do dpkg-deb -x "$d" "$base"; done
rm -rf "$base/usr/share/doc" "$base/usr/share/man" "$base/usr/share/info" "$base/usr/share/lintian" \
  "$base/usr/share/gdb" "$base/usr/share/gcc" "$base/usr/lib/x86_64-linux-gnu/gconv"
for a in $("$base/bin/busybox" --list-full); do
  [[ -e $base/$a || -L $base/$a ]] || { mkdir -p "$base/$(dirname "$a")"; ln -s /bin/busybox "$base/$a"; }
done
mkdir -p "$base"/{tmp,var/tmp,proc,sys,dev,root,run,etc}
chmod 1777 "$base/tmp" "$base/var/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$base/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$base/etc/group"
printf 'hosts: files dns\n' >"$base/etc/nsswitch.conf"
printf 'include /etc/ld.so.conf.d/*.conf\n' >"$base/etc/ld.so.conf"
ldconfig -r "$base"

# --- layer 1: the two Java runtimes ---------------------------------------------------------------
# The application's modules: what jdeps finds in target/quarkus-app, jar by jar (java.base,
# java.logging, java.naming, java.management, jdk.management, jdk.unsupported, java.desktop for
# java.beans, java.sql and java.compiler referenced by Micrometer and Vert.x, java.xml, and
# jdk.httpserver for the daemon's probe and webhook servers), plus providers only loaded by name:
# jdk.crypto.ec (TLS with EC keys), jdk.naming.dns, jdk.zipfs, java.net.http. Scanning every
# library here takes minutes, so the list is written down; the application's own jar is scanned
# on every build (a few seconds) and must not need a module outside it.
daemon_modules=java.base,java.logging,java.naming,java.management,jdk.management,jdk.unsupported,java.desktop,java.sql,java.compiler,java.xml,jdk.httpserver,jdk.crypto.ec,jdk.naming.dns,jdk.zipfs,java.net.http
for m in $("$jdk/bin/jdeps" --multi-release 17 -summary --ignore-missing-deps "$appjar" | awk '$2 == "->" && $3 ~ /^(java|jdk)\./ {print $3}' | sort -u); do
  [[ ,$daemon_modules, == *,"$m",* ]] || die "the application now needs module $m: add it to daemon_modules in $0"
done
step "jlink the application runtime (JDK $("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'))"
"$jdk/bin/jlink" --add-modules "$daemon_modules" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --generate-cds-archive --output "$base/opt/spiderpool/jre" >"$work/jlink-app.log" 2>&1 ||
  { cat "$work/jlink-app.log" >&2; die "jlink failed"; }

stage=$work/cni
cni_version=$("$cni_jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
step "jlink the host plugin's java.base runtime (JDK ${cni_version})"
"$cni_jdk/bin/jlink" --add-modules java.base --strip-debug \
  --no-header-files --no-man-pages --generate-cds-archive \
  --output "$stage/runtime" >"$work/jlink-cni.log" 2>&1 || { cat "$work/jlink-cni.log" >&2; die "jlink failed"; }
# Not compressed (--compress): the plugin's CPU time against a bare JVM of this runtime was
# 1.27x uncompressed and 1.31-1.35x with zip-6 (docs/cni.md), for 13 MiB more on each node.
# Symbol tables go too (jlink keeps them; crash logs then show addresses, not names). The launcher
# fixes -Xmx, so compressed oops are always on and the no-coops archive is never used.
strip --strip-unneeded "$stage/runtime/bin/java" "$stage"/runtime/lib/*.so "$stage/runtime/lib/server/libjvm.so"
rm -f "$stage/runtime/lib/server/classes_nocoops.jsa"

# The plugin classes: the CNI entry and the pure core it uses (never a framework). jdeps proves the
# jar needs java.base and nothing else, so the java.base runtime can run every path of it.
(cd target/classes && jar --create --file "$stage/spiderpool-cni.jar" \
  io/spiderpool/BuildInfo.class io/spiderpool/build.properties io/spiderpool/cni io/spiderpool/core \
  io/spiderpool/wire)
deps=$("$cni_jdk/bin/jdeps" --multi-release 17 --print-module-deps "$stage/spiderpool-cni.jar")
[[ $deps == java.base ]] || die "the plugin jar needs more than java.base: $deps"
# jdeps exits non-zero when it finds missing classes; the list itself is the message.
missing=$("$cni_jdk/bin/jdeps" --multi-release 17 --missing-deps "$stage/spiderpool-cni.jar" 2>&1) || true
[[ -z $missing ]] || die "the plugin jar refers to classes it does not contain: $missing"

# The AOT cache is valid for this runtime and this jar (size, mtime) in the same places relative to
# each other: the JVM accepts the pair moved together, which is what the host install does. It is
# checked to map from a moved copy (-XX:AOTMode=on refuses to run otherwise).
jvm_options="-Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr"
step "train the plugin's AOT cache"
# shellcheck disable=SC2086 # options are a word list
"$stage/runtime/bin/java" $jvm_options -XX:AOTCacheOutput="$stage/spiderpool-cni.aot" \
  -cp "$stage/spiderpool-cni.jar" io.spiderpool.cni.CniEntry --train >"$work/train.log" 2>&1 ||
  { cat "$work/train.log" >&2; die "training run failed"; }
moved=$work/cni-moved
cp -a "$stage" "$moved"
# shellcheck disable=SC2086
answer=$(printf '{"cniVersion":"1.0.0"}' | CNI_COMMAND=VERSION "$moved/runtime/bin/java" $jvm_options -XX:AOTMode=on \
  -XX:AOTCache="$moved/spiderpool-cni.aot" -cp "$moved/spiderpool-cni.jar" io.spiderpool.cni.CniEntry 2>&1) ||
  die "the AOT cache does not map from a moved copy: $answer"
[[ $answer == *'"supportedVersions"'* ]] || die "unexpected VERSION answer: $answer"
rm -rf "$moved"

id=$( (cd "$stage" && sha256sum spiderpool-cni.jar spiderpool-cni.aot runtime/release runtime/lib/modules runtime/lib/server/libjvm.so
  printf '%s\n' "$jvm_options"; cat "$root/src/main/image/cni/spiderpool") | sha256sum | cut -c1-16)

# --- layer 2: the application and the host plugin payload -----------------------------------------
step "application and plugin payload ${id}"
mkdir -p "$base/opt/spiderpool/cni" "$app/opt/spiderpool/bin" "$app/opt/spiderpool/cni"
cp -a "$stage/runtime" "$base/opt/spiderpool/cni/runtime"
cp -a target/quarkus-app "$app/opt/spiderpool/app"
install -m 0755 src/main/image/spiderpool "$app/opt/spiderpool/bin/spiderpool"
install -m 0755 src/main/image/kubectl-spiderpool "$app/opt/spiderpool/bin/kubectl-spiderpool"
install -m 0755 src/main/image/cni/install.sh "$app/opt/spiderpool/cni/install.sh"
cp -p "$stage/spiderpool-cni.jar" "$stage/spiderpool-cni.aot" "$app/opt/spiderpool/cni/"
printf '%s\n' "$id" >"$app/opt/spiderpool/cni/ID"
sed -e "s|@PAYLOAD_ID@|${id}|" -e "s|@JVM_OPTIONS@|${jvm_options}|" src/main/image/cni/spiderpool \
  >"$app/opt/spiderpool/cni/spiderpool"
chmod 0755 "$app/opt/spiderpool/cni/spiderpool"

# --- pack --------------------------------------------------------------------------------------------
step "pack with umoci"
layout=$work/oci
bundle=$work/bundle
umoci init --layout "$layout"
umoci new --image "$layout:$tag"
umoci unpack --image "$layout:$tag" "$bundle" >/dev/null
cp -a "$base/." "$bundle/rootfs/"
umoci repack --image "$layout:$tag" --history.created_by "hack/image.sh: Debian libraries, busybox, jlinked runtimes" "$bundle"
cp -a "$app/." "$bundle/rootfs/"
umoci repack --image "$layout:$tag" --history.created_by "hack/image.sh: spiderpool ${version} and its CNI plugin payload ${id}" "$bundle"
umoci config --image "$layout:$tag" --os linux --architecture amd64 --author spiderpool \
  --config.entrypoint /opt/spiderpool/bin/spiderpool --config.workingdir / --config.user 0:0 \
  --config.env PATH=/opt/spiderpool/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.label "org.opencontainers.image.title=spiderpool" \
  --config.label "org.opencontainers.image.version=${version}" \
  --config.label "io.spiderpool.cni.payload=${id}"
umoci gc --layout "$layout"
jq --arg n "$name" '.manifests |= map(.annotations["io.containerd.image.name"] = $n)' "$layout/index.json" >"$work/index.json"
mv "$work/index.json" "$layout/index.json"

if ((EUID == 0)); then
  # The entrypoint must start in its own rootfs, with the image's libraries only.
  step "check: spiderpool version inside the rootfs"
  rootfs=$bundle/rootfs
  # shellcheck disable=SC2016 # $1 is expanded by the inner shell
  v=$(unshare --mount --fork sh -c 'mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" && exec chroot "$1" /opt/spiderpool/bin/spiderpool version' sh "$rootfs" 2>"$work/check.log") ||
    { cat "$work/check.log" >&2; die "the image's entrypoint failed in its rootfs"; }
  [[ $v == *"${version}"* ]] || die "spiderpool version printed '$v', expected ${version}"
  log "spiderpool version in the image: $v"
else
  log "not root: skipping the check that runs the entrypoint in the rootfs (CI runs as root)"
fi

mkdir -p "$(dirname "$out")"
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$layout" -cf "$out.tmp" .
mv -f "$out.tmp" "$out"
payload_kib=$(du -sk "$stage/runtime" "$stage/spiderpool-cni.jar" "$stage/spiderpool-cni.aot" "$app/opt/spiderpool/cni/spiderpool" | awk '{s += $1} END {print s}')
log "image ${name}: $(du -h "$out" | cut -f1) archive (gzip layers), $(du -sh "$bundle/rootfs" | cut -f1) unpacked"
log "host plugin payload ${id}: $((payload_kib / 1024)) MiB (runtime $(du -sh "$stage/runtime" | cut -f1), archive $(du -h "$stage/spiderpool-cni.aot" | cut -f1))"
log "done in $((SECONDS - started))s"
printf '%s\n' "$out"
