#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CNI ADD latency of a whole plugin process (start to exit), side by side in one run:
#   bare JVM    - a class whose main returns at once, same JDK and flags as the plugin (the floor)
#   host-local  - Debian's Go IPAM plugin (/usr/lib/cni/host-local), on a temporary data dir
#   spiderpool  - hack/spiderpool-cni against a stand-in daemon (io.spiderpool.bench.FakeDaemon:
#                 the real CNI spool server and CNI handler, in-memory engine), with and without
#                 the archive of hack/cni-cache.sh, on JDK 17 and JDK 25
#   quarkus-run - java -jar quarkus-run.jar (the one-executable path: Quarkus runner, static
#                 main, same plugin class), for context
#   installed   - the plugin as the DaemonSet's init container installs it on a node: the image's
#                 payload (hack/image.sh: jlinked java.base runtime of Temurin 25, plugin jar, AOT
#                 cache, launcher) put into a temporary CNI bin dir by the image's install.sh, next
#                 to a bare JVM of that same installed runtime with the launcher's own JVM options
# Prints median and p99 wall time in ms and the ratios to the bare JVM of the same JDK and to
# host-local, and the median CPU time (user + system) of the plugin process itself with its ratio
# to the bare JVM: on a loaded machine the wall-time ratio mostly measures the neighbours.
# Usage: hack/bench-cni.sh [runs=50]   (needs containernetworking-plugins for host-local;
#        builds the image's staging dir with hack/image.sh when target/image is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
hostlocal=${HOST_LOCAL:-/usr/lib/cni/host-local}

if ! ls target/quarkus-app/app/spiderpool-*.jar >/dev/null 2>&1 || [ ! -d target/test-classes/io/spiderpool/bench ]; then
  mvn -B -q -o package -DskipTests >&2
fi
work=$(mktemp -d /tmp/bench-cni.XXXXXX)
daemon_pid=
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cp target/quarkus-app/app/spiderpool-*.jar "$work/spiderpool.jar"
"$jdk17/bin/java" -cp target/classes:target/test-classes io.spiderpool.bench.FakeDaemon "$work/daemon.sock" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
# the plugin goes through the spool next to the socket; its heartbeat says the daemon serves it
for _ in $(seq 100); do [ -e "$work/daemon.sock.spool/alive" ] && break; sleep 0.1; done
[ -e "$work/daemon.sock.spool/alive" ] || { echo "fake daemon did not start: $(cat "$work/daemon.log")" >&2; exit 1; }

mkdir -p "$work/bare"
printf 'public class Bare { public static void main(String[] a) {} }\n' > "$work/Bare.java"
"$jdk17/bin/javac" --release 17 -d "$work/bare" "$work/Bare.java"
opts="${BENCH_JAVA_OPTS:-}${BENCH_JAVA_OPTS:+ }-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr"

variants=()
for jdk in "$jdk17" "$jdk25"; do
  [ -x "$jdk/bin/java" ] || { echo "skipping missing JDK $jdk" >&2; continue; }
  v=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  dir="$work/jdk$v"
  launcher=$(hack/cni-cache.sh --java "$jdk/bin/java" --jar "$work/spiderpool.jar" --out "$dir" 2>"$work/cache-$v.log")
  cat > "$dir/nocache.env" <<ENV
SPIDERPOOL_CNI_JAVA='$jdk/bin/java'
SPIDERPOOL_CNI_JAR='$work/spiderpool.jar'
SPIDERPOOL_CNI_OPTS='$opts'
ENV
  variants+=("jdk$v|bare JVM, JDK $v|env|$jdk/bin/java $opts -cp $work/bare Bare")
  variants+=("jdk$v|spiderpool, JDK $v, no archive|env SPIDERPOOL_CNI_ENV=$dir/nocache.env|$launcher")
  variants+=("jdk$v|spiderpool, JDK $v, $(basename "$(ls "$dir"/spiderpool-cni.{jsa,aot} 2>/dev/null)")|env|$launcher")
done
# the installed plugin: the same files the image carries, installed by the image's own script
if [ ! -d target/image/app/opt/spiderpool/cni ] || [ ! -d target/image/base/opt/spiderpool/cni/runtime ]; then
  hack/image.sh >&2
fi
mkdir -p "$work/image-cni" "$work/cni-bin"
cp -a target/image/base/opt/spiderpool/cni/. target/image/app/opt/spiderpool/cni/. "$work/image-cni/"
"$work/image-cni/install.sh" "$work/cni-bin" >&2
installed_id=$(cat "$work/image-cni/ID")
installed_java=$work/cni-bin/spiderpool.d/$installed_id/runtime/bin/java
# shellcheck disable=SC2016 # the launcher's own text
launcher_opts=$(sed -n 's|^exec "$payload/runtime/bin/java" \(.*\) -XX:AOTCache=.*|\1|p' "$work/cni-bin/spiderpool")
[ -n "$launcher_opts" ] || { echo "cannot read the JVM options of $work/cni-bin/spiderpool" >&2; exit 1; }
variants+=("installed|bare JVM, installed java.base runtime|env|$installed_java $launcher_opts -cp $work/bare Bare")
variants+=("installed|spiderpool, installed (AOT cache)|env|$work/cni-bin/spiderpool")
variants+=("jdk17|quarkus-run.jar (java -jar), JDK 17|env|$jdk17/bin/java -jar $PWD/target/quarkus-app/quarkus-run.jar")
if [ -x "$hostlocal" ]; then
  variants+=("go|host-local (Go)|env|$hostlocal")
else
  echo "no $hostlocal: apt-get install containernetworking-plugins" >&2
fi

python3 - "$runs" "$work" "${variants[@]}" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
runs, work, variants = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
sock = os.path.join(work, "daemon.sock")
spider = json.dumps({"cniVersion": "1.0.0", "name": "bench", "type": "macvlan", "master": "eth0",
                     "ipam": {"type": "spiderpool", "ipam_unix_socket_path": sock,
                              "log_file_path": os.path.join(work, "cni.log")}})
hostlocal = json.dumps({"cniVersion": "1.0.0", "name": "bench", "type": "macvlan",
                        "ipam": {"type": "host-local", "dataDir": os.path.join(work, "hl"),
                                 "ranges": [[{"subnet": "10.99.0.0/16"}]]}})
def run(cmd, extra_env, i, check):
    env = {"PATH": "/usr/bin:/bin", "CNI_COMMAND": "ADD", "CNI_CONTAINERID": "bench%05d" % i,
           "CNI_NETNS": "/var/run/netns/bench", "CNI_IFNAME": "eth0", "CNI_PATH": "/usr/lib/cni",
           "CNI_ARGS": "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=bench-%d" % i}
    env.update(extra_env)
    stdin = hostlocal if "host-local" in cmd[0] else spider
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, input=stdin.encode(), env=env, capture_output=True)
    dt = (time.perf_counter() - t0) * 1000
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)) * 1000
    if check and (p.returncode != 0 or b'"ips"' not in p.stdout):
        sys.exit("%s failed (%d): %s %s" % (cmd, p.returncode, p.stdout, p.stderr))
    return dt, cpu
# Rounds interleave the variants, so that load from other processes on the machine spreads
# evenly over them instead of favouring whichever ran in a quiet minute.
parsed = []
for spec in variants:
    group, name, envspec, cmd = spec.split("|", 3)
    extra = dict(kv.split("=", 1) for kv in envspec.split()[1:])
    parsed.append((group, name, extra, cmd.split(), not name.startswith("bare"),
                   runs if "quarkus-run" not in name else max(5, runs // 5)))
i = 0
for _ in range(3):
    for group, name, extra, cmd, check, n in parsed:
        i += 1; run(cmd, extra, i, check)
times = {name: [] for _, name, _, _, _, _ in parsed}
cpus = {name: [] for _, name, _, _, _, _ in parsed}
for r in range(runs):
    for group, name, extra, cmd, check, n in parsed:
        if r < n:
            i += 1
            dt, cpu = run(cmd, extra, i, check)
            times[name].append(dt)
            cpus[name].append(cpu)
rows = []
for group, name, extra, cmd, check, n in parsed:
    t = sorted(times[name])
    rows.append((group, name, statistics.median(t), t[min(len(t) - 1, int(0.99 * len(t)))], n, t[0],
                 statistics.median(cpus[name])))
bare = {g: m for g, name, m, _, _, _, _ in rows if name.startswith("bare")}
bare_cpu = {g: c for g, name, _, _, _, _, c in rows if name.startswith("bare")}
hl = next((m for g, name, m, _, _, _, _ in rows if name.startswith("host-local")), None)
print("load average before: %s" % open("/proc/loadavg").read().split()[0])
print("%-42s %5s %9s %9s %9s %10s %12s %9s %9s" % ("variant (CNI ADD, process start to exit)", "runs", "min", "median",
                                            "p99", "x bare JVM", "x host-local", "cpu med", "cpu x bare"))
for g, name, m, p99, n, lo, cpu in rows:
    xb = "%.2f" % (m / bare[g]) if g in bare else "-"
    xh = "%.1f" % (m / hl) if hl else "-"
    xc = "%.2f" % (cpu / bare_cpu[g]) if g in bare_cpu and bare_cpu[g] > 0 else "-"
    print("%-42s %5d %7.1fms %7.1fms %7.1fms %10s %12s %7.1fms %9s" % (name, n, lo, m, p99, xb, xh, cpu, xc))
PY
