// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a runtime holds for one Pod: the Pod object, a network namespace as its sandbox, a container
 * ID, and the cached ADD result per interface, which goes back as {@code prevResult} on DEL (libcni
 * does the same). {@link #close()} deletes the namespace.
 */
public final class PodSandbox implements AutoCloseable {
  private static final AtomicLong SEQ = new AtomicLong();

  private final Pod pod;
  private final NetNs netns;
  private final String containerId;
  private final CniRuntime runtime;
  private final Map<String, String> results = new HashMap<>();

  private PodSandbox(Pod pod, NetNs netns, String containerId, CniRuntime runtime) {
    this.pod = pod;
    this.netns = netns;
    this.containerId = containerId;
    this.runtime = runtime;
  }

  /**
   * A sandbox for {@code pod} (created in the API already): a fresh namespace {@code sp-e2e-p<n>}.
   */
  public static PodSandbox of(Pod pod, CniRuntime runtime) {
    long n = SEQ.incrementAndGet();
    String nsName = "sp-e2e-p" + ProcessHandle.current().pid() + "-" + n;
    return new PodSandbox(
        pod, NetNs.create(nsName), "cid-" + pod.getMetadata().getUid() + "-" + n, runtime);
  }

  /** The Pod. */
  public Pod pod() {
    return pod;
  }

  /** The sandbox namespace. */
  public NetNs netns() {
    return netns;
  }

  /** The runtime's reference to the Pod. */
  public CniRuntime.PodRef ref() {
    return new CniRuntime.PodRef(
        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid());
  }

  /** The attachment of {@code ifName}. */
  public CniRuntime.Attachment attachment(String ifName) {
    return new CniRuntime.Attachment(containerId, netns, ifName, ref());
  }

  /** ADD {@code ifName}; a successful result is cached for DEL. */
  public Command.Outcome add(NetConf conf, String ifName) {
    Command.Outcome o = runtime.add(attachment(ifName), conf);
    if (o.ok()) {
      results.put(ifName, o.stdout());
    }
    return o;
  }

  /** ADD that must succeed; returns the parsed result. */
  public CniResult addOk(NetConf conf, String ifName) {
    Command.Outcome o = add(conf, ifName);
    if (!o.ok()) {
      throw new AssertionError("ADD " + ifName + " of " + ref() + " failed: " + o.describe());
    }
    return CniResult.parse(o.stdout());
  }

  /** DEL {@code ifName} with the cached result as {@code prevResult}. */
  public Command.Outcome del(NetConf conf, String ifName) {
    return runtime.del(attachment(ifName), conf, results.get(ifName));
  }

  /** CHECK {@code ifName} with the cached result as {@code prevResult}. */
  public Command.Outcome check(NetConf conf, String ifName) {
    return runtime.check(attachment(ifName), conf, results.get(ifName));
  }

  @Override
  public void close() {
    netns.close();
  }
}
