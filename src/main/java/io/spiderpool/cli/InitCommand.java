// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.settings.SettingsReader;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.api.SpiderSubnetSpec;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spiderpool init}: the chart's post-install hook, as Spiderpool's spiderpool-init. Creates
 * the cluster default SpiderSubnet and SpiderIPPool of each family named in the environment ({@link
 * DefaultPoolSpec}) unless they exist; an existing object is left exactly as it is (the
 * administrator may have changed it), so running it again changes nothing. The admission webhooks
 * may not serve yet when the hook starts: API errors of the server side (5xx, 429, no connection)
 * are retried until {@code --timeout}; a refusal (4xx, the webhook's message) ends it.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create the cluster default SpiderSubnets and SpiderIPPools named by SPIDERPOOL_INIT_DEFAULT_IPV{4,6}_*",
      "(the Helm chart's post-install hook). Idempotent: existing objects are left unchanged."
    })
public class InitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--timeout",
      defaultValue = "300s",
      paramLabel = "DURATION",
      description =
          "how long to retry while the API server or the webhooks are not ready (default ${DEFAULT-VALUE})")
  String timeout;

  @Inject Instance<KubernetesClient> kubernetes;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<DefaultPoolSpec> pools;
    Duration limit;
    try {
      limit =
          SettingsReader.resolve(
              Map.of(),
              r ->
                  r.positiveDuration(
                      SettingsReader.option("--timeout", timeout, null), Duration.ofSeconds(300)));
      pools = DefaultPoolSpec.fromEnv(System.getenv());
    } catch (InvalidInputException e) {
      err.println("spiderpool init: " + e.getMessage());
      return 2;
    }
    if (pools.isEmpty()) {
      out.println(
          "spiderpool init: no default pool asked for ("
              + DefaultPoolSpec.PREFIX
              + "{4,6}_IPPOOL_NAME unset)");
      return 0;
    }
    try {
      new DefaultPools(kubernetes.get(), System.nanoTime() + limit.toNanos(), out).ensureAll(pools);
      return 0;
    } catch (KubernetesClientException | DefaultPools.GaveUp e) {
      err.println("spiderpool init: " + e.getMessage());
      return 1;
    }
  }

  /** The create-unless-present loop, apart from picocli so that tests drive it directly. */
  static final class DefaultPools {
    private final KubernetesClient client;
    private final long deadlineNanos;
    private final PrintWriter out;

    DefaultPools(KubernetesClient client, long deadlineNanos, PrintWriter out) {
      this.client = client;
      this.deadlineNanos = deadlineNanos;
      this.out = out;
    }

    void ensureAll(List<DefaultPoolSpec> pools) {
      for (DefaultPoolSpec p : pools) {
        if (p.subnetName() != null) {
          ensure(SpiderSubnet.class, subnet(p), "SpiderSubnet");
        }
        ensure(SpiderIPPool.class, pool(p), "SpiderIPPool");
      }
      out.flush();
    }

    static SpiderSubnet subnet(DefaultPoolSpec p) {
      SpiderSubnet s = new SpiderSubnet();
      s.getMetadata().setName(p.subnetName());
      SpiderSubnetSpec spec = new SpiderSubnetSpec();
      spec.setIpVersion((long) p.family());
      spec.setSubnet(p.subnet());
      spec.setIps(p.ips().isEmpty() ? null : p.ips());
      spec.setGateway(p.gateway());
      s.setSpec(spec);
      return s;
    }

    static SpiderIPPool pool(DefaultPoolSpec p) {
      SpiderIPPool pool = new SpiderIPPool();
      pool.getMetadata().setName(p.poolName());
      SpiderIPPoolSpec spec = new SpiderIPPoolSpec();
      spec.setIpVersion((long) p.family());
      spec.setSubnet(p.subnet());
      spec.setIps(p.ips().isEmpty() ? null : p.ips());
      spec.setGateway(p.gateway());
      spec.setDefault(true);
      pool.setSpec(spec);
      return pool;
    }

    private <T extends HasMetadata> void ensure(Class<T> type, T desired, String kind) {
      String name = desired.getMetadata().getName();
      long pause = 500;
      while (true) {
        try {
          if (client.resources(type).withName(name).get() != null) {
            out.println(kind + " " + name + " exists; left unchanged");
            return;
          }
          client.resource(desired).create();
          out.println(kind + " " + name + " created");
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() == 409) {
            continue; // created meanwhile: the next read finds it
          }
          if (!retryable(e)) {
            throw new KubernetesClientException(
                "cannot create " + kind + " " + name + ": " + e.getMessage(), e);
          }
          if (System.nanoTime() + pause * 1_000_000 > deadlineNanos) {
            throw new GaveUp(
                kind
                    + " "
                    + name
                    + " not created before the timeout; last error: "
                    + e.getMessage());
          }
          out.println(
              kind + " " + name + ": not yet (" + brief(e) + "); retrying in " + pause + " ms");
          out.flush();
          sleep(pause);
          pause = Math.min(pause * 2, 5000);
        }
      }
    }

    /** Server-side or connection trouble; a 4xx is an answer (the webhook refused, RBAC, ...). */
    static boolean retryable(KubernetesClientException e) {
      int code = e.getCode();
      return code <= 0 || code == 429 || code >= 500; // <= 0: no HTTP answer at all
    }

    private static String brief(KubernetesClientException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GaveUp("interrupted");
      }
    }

    /** The timeout passed (or the process was interrupted) with the object still missing. */
    static final class GaveUp extends RuntimeException {
      GaveUp(String message) {
        super(message);
      }
    }
  }
}
