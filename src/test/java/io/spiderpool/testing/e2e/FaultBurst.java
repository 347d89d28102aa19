// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.k8s.check.ConsistencyChecker;
import io.spiderpool.k8s.check.Inconsistency;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * ADDs and DELs of the fault tests (docs/reliability.md, "Faults"), timed so a test can tell which
 * were in flight when its fault struck: through a daemon's agent socket ({@code POST|DELETE
 * /v1/ipam/ip}, as the plugin sends them) or as a CNI runtime execs the plugins.
 */
public final class FaultBurst {
  private FaultBurst() {}

  /**
   * One ADD: the address it answered, or why it failed; start and end on {@link System#nanoTime()}.
   */
  public record Outcome(
      Pod pod, String node, String ip, String failure, long startNanos, long endNanos) {
    /** Whether the ADD answered an address. */
    public boolean ok() {
      return ip != null;
    }

    /** Whether it had started and not yet answered at {@code nanos}. */
    public boolean inFlightAt(long nanos) {
      return startNanos - nanos <= 0 && endNanos - nanos > 0;
    }

    /** The Pod's name. */
    public String name() {
      return pod.getMetadata().getName();
    }
  }

  /** The agent-socket ADD body for {@code p}'s {@code eth0} from {@code pool}. */
  public static String addBody(Pod p, String pool) {
    return "{\"containerID\":\"sock-"
        + p.getMetadata().getName()
        + "\",\"ifName\":\"eth0\",\"netNamespace\":\"/proc/1/ns/net\",\"podNamespace\":\""
        + p.getMetadata().getNamespace()
        + "\",\"podName\":\""
        + p.getMetadata().getName()
        + "\",\"podUID\":\""
        + p.getMetadata().getUid()
        + "\",\"defaultIPv4IPPool\":[\""
        + pool
        + "\"]}";
  }

  /**
   * {@code POST /v1/ipam/ip} to {@code node}'s daemon. A failure is an HTTP status other than 200
   * or no answer; an answer other than 200 must be a clear one: status 500 with the daemon's
   * message as a non-empty JSON string and no Java exception class in it.
   */
  public static Outcome socketAdd(TwoNodes cluster, String node, Pod p, String pool) {
    long t0 = System.nanoTime();
    try {
      AgentSocket.Response r =
          new AgentSocket(cluster.daemon(node).socket())
              .send("POST", "/v1/ipam/ip", addBody(p, pool));
      long t1 = System.nanoTime();
      if (r.status() != 200) {
        assertThat(r.status())
            .as("failed ADD of %s: %s", p.getMetadata().getName(), r.body())
            .isEqualTo(500);
        Object msg = JsonReader.parse(r.body());
        assertThat(msg).as("the daemon's message").isInstanceOf(String.class);
        assertThat((String) msg).isNotBlank().doesNotContain("Exception:");
        return new Outcome(p, node, null, "HTTP " + r.status() + " " + msg, t0, t1);
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> ips =
          (List<Map<String, Object>>) ((Map<String, Object>) JsonReader.parse(r.body())).get("ips");
      return new Outcome(p, node, ((String) ips.get(0).get("address")).split("/")[0], null, t0, t1);
    } catch (IOException e) {
      return new Outcome(p, node, null, "socket: " + e, t0, System.nanoTime());
    }
  }

  /**
   * ADD through the bridge plugin and ours, as a runtime runs it. A failure must be exactly one CNI
   * error object with a code and a message, and no Java exception class.
   */
  public static Outcome pluginAdd(TwoNodes cluster, String node, PodSandbox sb, String pool) {
    long t0 = System.nanoTime();
    Command.Outcome o = sb.add(cluster.bridge(node, List.of(pool), List.of()), "eth0");
    long t1 = System.nanoTime();
    if (!o.ok()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> error = (Map<String, Object>) JsonReader.parse(o.stdout());
      assertThat(error.get("code")).as("try again later: %s", o.describe()).isEqualTo(11L);
      assertThat((String) error.get("msg")).as(o.describe()).isNotBlank();
      assertThat(o.stdout()).as(o.describe()).doesNotContain("Exception:");
      return new Outcome(
          sb.pod(),
          node,
          null,
          "plugin: code " + error.get("code") + " " + error.get("msg") + " " + error.get("details"),
          t0,
          t1);
    }
    return new Outcome(
        sb.pod(),
        node,
        CniResult.parse(o.stdout()).addresses(4).get(0).split("/")[0],
        null,
        t0,
        t1);
  }

  /**
   * A runtime tears a failed sandbox down (DEL) before it tries again: the bridge plugin may have
   * left its veth behind when the IPAM call failed.
   */
  public static Outcome pluginRetry(TwoNodes cluster, String node, PodSandbox sb, String pool) {
    sb.del(cluster.bridge(node, List.of(pool), List.of()), "eth0");
    return pluginAdd(cluster, node, sb, pool);
  }

  /** A result and how many attempts it took. */
  public record Retried(Outcome outcome, int attempts) {}

  /** Up to three attempts, as a kubelet retries a sandbox. */
  public static Retried retry(Supplier<Outcome> attempt) {
    Outcome o = attempt.get();
    int n = 1;
    for (; !o.ok() && n < 3; n++) {
      o = attempt.get();
    }
    return new Retried(o, n);
  }

  /** {@code DELETE /v1/ipam/ip} for {@code p}'s socket ADD; true on 200. */
  public static boolean socketDel(TwoNodes cluster, String node, Pod p) throws IOException {
    return new AgentSocket(cluster.daemon(node).socket())
            .send(
                "DELETE",
                "/v1/ipam/ip",
                "{\"containerID\":\"sock-"
                    + p.getMetadata().getName()
                    + "\",\"ifName\":\"eth0\",\"podNamespace\":\""
                    + p.getMetadata().getNamespace()
                    + "\",\"podName\":\""
                    + p.getMetadata().getName()
                    + "\",\"podUID\":\""
                    + p.getMetadata().getUid()
                    + "\"}")
            .status()
        == 200;
  }

  /**
   * The consistency checker of {@code spiderpool check} (io.spiderpool.k8s.check) over the whole
   * cluster, narrowed to {@code pools} and {@code namespace}: other classes share the control
   * plane.
   */
  public static List<Inconsistency> inconsistencies(
      KubernetesClient client, List<String> pools, String namespace) {
    return new ConsistencyChecker(client)
        .check().found().stream()
            .filter(i -> pools.contains(i.pool()) || i.pod().startsWith(namespace + "/"))
            .toList();
  }
}
