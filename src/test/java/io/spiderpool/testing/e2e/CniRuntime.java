// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Invokes CNI plugins exactly as a container runtime does (CNI spec, "Execution protocol"): the
 * plugin binary found in {@code CNI_PATH} by the config's {@code type}, the {@code CNI_*} variables
 * in the environment, the network configuration on stdin, the result or error on stdout, the exit
 * code as the verdict. Nothing of the JVM's own environment that a runtime would not pass is relied
 * upon; {@code PATH} is kept because plugins exec helpers.
 */
public final class CniRuntime {
  /** Debian's reference plugins. */
  public static final Path DEBIAN_PLUGINS = Path.of("/usr/lib/cni");

  private final List<Path> cniPath;
  private final Duration timeout;

  /**
   * A runtime searching {@code cniPath} in order; {@code timeout} bounds each invocation (a plugin
   * that hangs is killed and reported with exit code -1).
   */
  public CniRuntime(List<Path> cniPath, Duration timeout) {
    this.cniPath = List.copyOf(cniPath);
    this.timeout = timeout;
  }

  /** Identifies the Pod attachment: the runtime's {@code CNI_*} values for ADD, DEL and CHECK. */
  public record Attachment(String containerId, NetNs netns, String ifName, PodRef pod) {
    /** {@code CNI_ARGS} the way kubelet (dockershim/CRI) builds it. */
    public String cniArgs() {
      return "IgnoreUnknown=1;K8S_POD_NAMESPACE="
          + pod.namespace()
          + ";K8S_POD_NAME="
          + pod.name()
          + ";K8S_POD_INFRA_CONTAINER_ID="
          + containerId
          + ";K8S_POD_UID="
          + pod.uid();
    }
  }

  /** Namespace, name and UID of a Pod object. */
  public record PodRef(String namespace, String name, String uid) {}

  /** ADD: the plugin named by the config's {@code type}. */
  public Command.Outcome add(Attachment a, NetConf conf) {
    return invoke(conf.type(), "ADD", a, conf.json());
  }

  /**
   * DEL with the cached ADD result as {@code prevResult}, which libcni injects for DEL and CHECK
   * from spec 0.4.0 on; pass {@code null} when there was no successful ADD.
   */
  public Command.Outcome del(Attachment a, NetConf conf, String prevResult) {
    return invoke(conf.type(), "DEL", a, conf.withPrevResult(prevResult).json());
  }

  /** CHECK with the cached ADD result as {@code prevResult}. */
  public Command.Outcome check(Attachment a, NetConf conf, String prevResult) {
    return invoke(conf.type(), "CHECK", a, conf.withPrevResult(prevResult).json());
  }

  /** VERSION: no attachment, only the config's {@code cniVersion} on stdin. */
  public Command.Outcome version(String type, String cniVersion) {
    return invoke(type, "VERSION", null, "{\"cniVersion\":\"" + cniVersion + "\"}");
  }

  /**
   * Any verb with a raw stdin: for GC and STATUS (CNI 1.1.0), which take no container, namespace or
   * interface, and for deliberately malformed input.
   */
  public Command.Outcome invoke(String type, String command, Attachment a, String stdin) {
    Path plugin = find(type);
    Map<String, String> env = new HashMap<>();
    // a runtime passes exactly these; clear any the test JVM happens to carry
    for (String k :
        List.of(
            "CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH")) {
      env.put(k, null);
    }
    env.put("CNI_COMMAND", command);
    env.put("CNI_PATH", cniPath.stream().map(Path::toString).collect(Collectors.joining(":")));
    if (a != null) {
      env.put("CNI_CONTAINERID", a.containerId());
      env.put("CNI_NETNS", a.netns().path());
      env.put("CNI_IFNAME", a.ifName());
      env.put("CNI_ARGS", a.cniArgs());
    }
    return Command.run(List.of(plugin.toString()), env, stdin, timeout);
  }

  /** The executable named {@code type} in the first {@code CNI_PATH} directory that has one. */
  public Path find(String type) {
    for (Path dir : cniPath) {
      Path p = dir.resolve(type);
      if (p.toFile().canExecute()) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no executable '"
            + type
            + "' in CNI_PATH "
            + cniPath
            + "; Debian's plugins come from 'apt-get install containernetworking-plugins'"
            + " (hack/setup.sh installs them)");
  }
}
