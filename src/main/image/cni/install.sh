#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# install.sh CNI_BIN_DIR: installs the spiderpool CNI plugin of this image into a node's CNI bin
# directory (the DaemonSet's init container runs it with the host's global.cniBinHostPath mounted).
#
#   CNI_BIN_DIR/spiderpool                  the launcher (a /bin/sh script)
#   CNI_BIN_DIR/spiderpool.d/<payload id>/  runtime/, spiderpool-cni.jar, spiderpool-cni.aot
#
# Nothing is ever changed in place, so a CNI call during an upgrade never sees half a plugin:
#   1. the payload is copied into spiderpool.d/.tmp-<id>-<pid> and renamed to spiderpool.d/<id>
#      (skipped when that directory exists: it only ever appears complete);
#   2. the launcher naming <id> is written to a temporary name and renamed over the old one;
#   3. payload directories other than this one and the one the previous launcher named are
#      removed (a call that started the previous launcher a moment ago still finds its files);
#      installing the payload the launcher already names removes nothing.
# Timestamps are preserved: the class-data archive is valid only for the jar's size and mtime.
# Idempotent; exit status 0 means the plugin is in place. Needs a POSIX shell and coreutils
# (busybox in the image).
set -eu
src=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: install.sh CNI_BIN_DIR}
[ -d "$dest" ] || { echo "install.sh: $dest is not a directory (is the host's CNI bin dir mounted?)" >&2; exit 1; }
id=$(cat "$src/ID")
store=$dest/spiderpool.d
mkdir -p "$store"

previous=
if [ -f "$dest/spiderpool" ]; then
  previous=$(sed -n 's|^payload=.*/spiderpool\.d/\([A-Za-z0-9._-]*\)$|\1|p' "$dest/spiderpool" | head -n 1)
fi

if [ ! -d "$store/$id" ]; then
  tmp=$store/.tmp-$id-$$
  rm -rf "$tmp"
  mkdir "$tmp"
  cp -a "$src/runtime" "$src/spiderpool-cni.jar" "$src/spiderpool-cni.aot" "$tmp/"
  # -T: never move into an existing directory of that name (another installer got there first)
  if ! mv -T "$tmp" "$store/$id" 2>/dev/null; then
    rm -rf "$tmp"
    [ -d "$store/$id" ] || { echo "install.sh: could not create $store/$id" >&2; exit 1; }
  fi
fi

cp "$src/spiderpool" "$dest/.spiderpool.tmp.$$"
chmod 0755 "$dest/.spiderpool.tmp.$$"
mv -f "$dest/.spiderpool.tmp.$$" "$dest/spiderpool"

# The same image again (a restarted Pod) renames nothing, so nothing becomes old: keep all.
[ "$previous" = "$id" ] && previous_is_current=true || previous_is_current=false
for d in "$store"/* "$store"/.tmp-*; do
  [ "$previous_is_current" = true ] && break
  [ -e "$d" ] || continue
  name=${d##*/}
  [ "$name" = "$id" ] && continue
  [ -n "$previous" ] && [ "$name" = "$previous" ] && continue
  rm -rf "$d"
done
echo "install.sh: spiderpool CNI plugin $id installed in $dest (previous: ${previous:-none})"
