#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Where a JVM's CPU went, from a flight recording's execution samples (jdk.ExecutionSample).

Usage: hack/jfr-cpu-split.py RECORDING.jfr [FROM TO]
  FROM/TO (optional): wall-clock bounds (HH:MM:SS, the recording's time zone) of the window to
  count, e.g. a benchmark's measured phase.

Each sample is put in the first class whose test matches any frame of its stack, in this order:
fabric8 re-reading the kubeconfig for a token, JSON (Jackson), TLS handshake, TLS (record encryption and decryption), Netty/Vert.x I/O, our own
code (io.spiderpool), JDK and everything else. The order matters: a Jackson call under our code is
JSON, not ours; a handshake under Netty is a handshake.
"""
import re
import subprocess
import sys

CLASSES = [
    # fabric8's token refresh re-reading the kubeconfig (io.spiderpool.daemon.CertificateAuth)
    ("kubeconfig re-read", lambda f: f.startswith("io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor.refreshToken")),
    ("JSON (Jackson)", lambda f: f.startswith("com.fasterxml.jackson.")),
    ("TLS handshake", lambda f: ("Handshake" in f or "handshake" in f)
     and (f.startswith("sun.security.") or f.startswith("javax.net.ssl.") or f.startswith("io.netty.handler.ssl."))),
    ("TLS records", lambda f: f.startswith("sun.security.ssl.") or f.startswith("javax.net.ssl.")
     or f.startswith("io.netty.handler.ssl.") or f.startswith("com.sun.crypto.") or f.startswith("sun.security.")),
    ("Netty/Vert.x I/O", lambda f: f.startswith("io.netty.") or f.startswith("io.vertx.")),
    ("fabric8 client", lambda f: f.startswith("io.fabric8.")),
    ("our code", lambda f: f.startswith("io.spiderpool.")),
]


def samples(path):
    out = subprocess.run(["jfr", "print", "--stack-depth", "64", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    for block in out.split("jdk.ExecutionSample {")[1:]:
        m = re.search(r"startTime = (\d\d:\d\d:\d\d)", block)
        frames = re.findall(r"^\s+([\w.$<>]+)\(", block, re.M)
        yield (m.group(1) if m else None), frames


def main():
    path = sys.argv[1]
    lo, hi = (sys.argv[2], sys.argv[3]) if len(sys.argv) > 3 else (None, None)
    counts = {name: 0 for name, _ in CLASSES}
    counts["other (JDK and the rest)"] = 0
    total = 0
    for t, frames in samples(path):
        if lo and (t is None or t < lo or t > hi):
            continue
        total += 1
        for name, test in CLASSES:
            if any(test(f) for f in frames):
                counts[name] += 1
                break
        else:
            counts["other (JDK and the rest)"] += 1
    print(f"{path}: {total} execution samples" + (f" between {lo} and {hi}" if lo else ""))
    for name, n in counts.items():
        print(f"  {name:32s} {n:6d}  {100.0 * n / max(total, 1):5.1f} %")


if __name__ == "__main__":
    main()
