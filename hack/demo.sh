#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job for a newcomer, as far as this release goes: build the executable (if needed),
# print its version, and plan two Spiderpool-shaped pools (IPv4 and IPv6) offline with the
# allocation core: normalised ranges, counts, and the next addresses lowest-free would hand out.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/quarkus-app/quarkus-run.jar
if [[ ! -f $jar || -n $(find src pom.xml -newer "$jar" -print -quit) ]]; then
  mvn -B -q -DskipTests package
fi
run() { echo "\$ spiderpool $*"; java -jar "$jar" "$@"; echo; }
run version
run pool plan --subnet 172.18.40.0/24 --ips 172.18.40.10-172.18.40.20,172.18.40.15-172.18.40.30 \
  --exclude 172.18.40.25 --reserved 172.18.40.12 --gateway 172.18.40.1 \
  --allocated 172.18.40.10-172.18.40.11,172.18.40.14
run pool plan --subnet fd00:172:18::/64 --ips fd00:172:18::10-fd00:172:18::ffff:ffff \
  --gateway fd00:172:18::1 --allocated fd00:172:18::10-fd00:172:18::1f --next 3
echo "\$ spiderpool pool plan --subnet 10.0.0.1/24   # a mistake, and what the tool says"
java -jar "$jar" pool plan --subnet 10.0.0.1/24 || true
