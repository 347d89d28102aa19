// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import static io.spiderpool.controller.subnet.SubnetFixture.ips;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spiderpool.controller.ControllerRole;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolSpec;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.k8s.api.SpiderSubnetSpec;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import io.spiderpool.webhook.WebhookServer;
import io.spiderpool.webhook.WebhookSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SpiderSubnet rules of the webhooks through the real API server, with the controller role
 * running: its own creates and resizes of auto-pools are admitted (it carves before it writes), a
 * person's edit of an auto-pool's ips or podAffinity is refused, a subnet may not lose carved
 * addresses, and subnets never overlap. Only the subnets of this class (labelled) and pools that
 * name them as owner are sent to this webhook server.
 */
@ExtendWith(ControlPlaneExtension.class)
class SubnetWebhookIT {
  private static final String NAME = "spiderpool-subnet-webhook-it";
  private static final String LABEL = "subnet-webhook-it.spiderpool.io/test";
  private static final List<String> SUBNETS = List.of("wh-sub-a", "wh-sub-b", "wh-sub-overlap");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static KubernetesClient admin;
  private static SubnetFixture fx;
  private static WebhookServer server;
  private static ControllerRole role;

  @BeforeAll
  static void start(LocalControlPlane cp) throws Exception {
    admin = cp.client();
    fx = new SubnetFixture(admin, "subnet-webhook-it");
    Path tls = Files.createTempDirectory("subnet-webhook-it");
    Files.copy(Path.of(cp.property("SPIDERPOOL_CP_WEBHOOK_CRT")), tls.resolve("tls.crt"));
    Files.copy(Path.of(cp.property("SPIDERPOOL_CP_WEBHOOK_KEY")), tls.resolve("tls.key"));
    WebhookSettings settings =
        WebhookSettings.resolve(
                Map.of(), tls.resolve("tls.crt").toString(), tls.resolve("tls.key").toString(), "0")
            .withBindAddress("127.0.0.1")
            .withNamespace("default")
            .withCertCheckInterval(Duration.ZERO);
    server = WebhookServer.start(settings, admin, ClusterConfig.DEFAULTS);
    register(
        Base64.getEncoder()
            .encodeToString(Files.readAllBytes(Path.of(cp.property("SPIDERPOOL_CP_CA_CRT")))));
    // the API server picks the configurations up asynchronously: wait until a bad subnet is refused
    AtomicInteger probe = new AtomicInteger();
    await("webhooks called")
        .atMost(WAIT)
        .until(
            () -> {
              String name = "wh-probe-" + probe.incrementAndGet();
              try {
                admin.resource(subnet(name, "10.86.9.1/24", "10.86.9.10")).create();
                admin
                    .resources(SpiderSubnet.class)
                    .withName(name)
                    .delete(); // not called yet: no finalizer either
                return false;
              } catch (KubernetesClientException e) {
                return String.valueOf(e.getMessage()).contains("is not canonical");
              }
            });
    role = new ControllerRole(admin, ClusterConfig.DEFAULTS, GcSettings.DEFAULTS, () -> true);
    role.start();
  }

  private static void register(String ca) {
    String base = "https://127.0.0.1:" + server.port();
    MutatingWebhookConfigurationBuilder m =
        new MutatingWebhookConfigurationBuilder().withNewMetadata().withName(NAME).endMetadata();
    ValidatingWebhookConfigurationBuilder v =
        new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName(NAME).endMetadata();
    for (String kind : List.of("spiderippool", "spidersubnet")) {
      String path = "-spiderpool-spidernet-io-v2beta1-" + kind;
      var selector =
          kind.equals("spidersubnet")
              ? new LabelSelectorBuilder().addToMatchLabels(LABEL, "true").build()
              : new LabelSelectorBuilder()
                  .addNewMatchExpression()
                  .withKey(AutoPoolLabels.OWNER_SUBNET)
                  .withOperator("In")
                  .withValues(SUBNETS)
                  .endMatchExpression()
                  .build();
      m.addNewWebhook()
          .withName(kind + ".mutate.subnet-it.spidernet.io")
          .withAdmissionReviewVersions("v1")
          .withSideEffects("None")
          .withFailurePolicy("Fail")
          .withNewClientConfig()
          .withUrl(base + "/mutate" + path)
          .withCaBundle(ca)
          .endClientConfig()
          .withObjectSelector(selector)
          .addNewRule()
          .withApiGroups("spiderpool.spidernet.io")
          .withApiVersions("v2beta1")
          .withResources(kind + "s")
          .withOperations("CREATE", "UPDATE")
          .endRule()
          .endWebhook();
      v.addNewWebhook()
          .withName(kind + ".validate.subnet-it.spidernet.io")
          .withAdmissionReviewVersions("v1")
          .withSideEffects("None")
          .withFailurePolicy("Fail")
          .withNewClientConfig()
          .withUrl(base + "/validate" + path)
          .withCaBundle(ca)
          .endClientConfig()
          .withObjectSelector(selector)
          .addNewRule()
          .withApiGroups("spiderpool.spidernet.io")
          .withApiVersions("v2beta1")
          .withResources(kind + "s")
          .withOperations("CREATE", "UPDATE", "DELETE")
          .endRule()
          .endWebhook();
    }
    admin.resource(m.build()).create();
    admin.resource(v.build()).create();
  }

  @AfterAll
  static void stop() {
    if (role != null) {
      role.stop();
    }
    if (admin != null) {
      admin.resources(MutatingWebhookConfiguration.class).withName(NAME).delete();
      admin.resources(ValidatingWebhookConfiguration.class).withName(NAME).delete();
      SUBNETS.forEach(fx::track);
      fx.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static SpiderSubnet subnet(String name, String cidr, String ips) {
    SpiderSubnet s = new SpiderSubnet();
    s.getMetadata().setName(name);
    s.getMetadata().setLabels(Map.of(LABEL, "true"));
    s.setSpec(new SpiderSubnetSpec());
    s.getSpec().setSubnet(cidr);
    s.getSpec().setIps(List.of(ips));
    return s;
  }

  private static String rejection(Callable<?> call) {
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, call::call);
    assertThat(e).as("expected the webhook to refuse").isNotNull();
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : e.getMessage();
  }

  private static SpiderIPPool awaitPool(int size) {
    await("pool of " + size)
        .atMost(WAIT)
        .until(
            () ->
                fx.poolOf("Deployment", "guarded", "eth0", IpFamily.V4)
                    .map(p -> ips(p).sizeCapped() == size)
                    .orElse(false));
    return fx.poolOf("Deployment", "guarded", "eth0", IpFamily.V4).orElseThrow();
  }

  @Test
  void theControllersWritesAreAdmittedAndAPersonsEditOfAnAutoPoolIsNot() {
    admin.resource(subnet("wh-sub-a", "10.86.1.0/24", "10.86.1.10-10.86.1.60")).create();
    fx.deployment(
        "guarded",
        3,
        Map.of(
            "ipam.spidernet.io/subnet",
            "{\"ipv4\":[\"wh-sub-a\"]}",
            "ipam.spidernet.io/ippool-ip-number",
            "+0"));
    awaitPool(3);
    fx.scaleDeployment("guarded", 6);
    awaitPool(6);
    fx.scaleDeployment("guarded", 2);
    SpiderIPPool pool = awaitPool(2);
    String name = pool.getMetadata().getName();
    await()
        .atMost(WAIT)
        .until(() -> fx.controlled("wh-sub-a").get(name).orElseThrow().releasing().isEmpty());

    String grow =
        rejection(
            () ->
                admin
                    .resources(SpiderIPPool.class)
                    .withName(name)
                    .edit(
                        p -> {
                          p.getSpec().setIps(List.of("10.86.1.10-10.86.1.12"));
                          return p;
                        }));
    assertThat(grow)
        .contains(
            "spec.ips of auto-created SpiderIPPool "
                + name
                + " must be the addresses SpiderSubnet"
                + " wh-sub-a carved for it (10.86.1.10-10.86.1.11)");
    String affinity =
        rejection(
            () ->
                admin
                    .resources(SpiderIPPool.class)
                    .withName(name)
                    .edit(
                        p -> {
                          Map<String, String> labels =
                              new HashMap<>(p.getSpec().getPodAffinity().getMatchLabels());
                          labels.put("ipam.spidernet.io/app-name", "someone-else");
                          p.getSpec().getPodAffinity().setMatchLabels(labels);
                          return p;
                        }));
    assertThat(affinity)
        .contains("spec.podAffinity of auto-created SpiderIPPool " + name + " cannot be edited");

    String shrink =
        rejection(
            () ->
                admin
                    .resources(SpiderSubnet.class)
                    .withName("wh-sub-a")
                    .edit(
                        s -> {
                          s.getSpec().setIps(List.of("10.86.1.11-10.86.1.60"));
                          return s;
                        }));
    assertThat(shrink)
        .contains(
            "spec.ips/spec.excludeIPs would take 10.86.1.10 from SpiderSubnet wh-sub-a, but they"
                + " are carved out to SpiderIPPool "
                + name);
    SubnetFixture.retry(
        () ->
            admin
                .resources(SpiderSubnet.class)
                .withName("wh-sub-a")
                .edit(
                    s -> {
                      s.getSpec().setIps(List.of("10.86.1.10-10.86.1.40"));
                      return s;
                    }));
  }

  @Test
  void aPoolOutsideItsSubnetAndAnOverlappingSubnetAreRefused() {
    admin.resource(subnet("wh-sub-b", "10.86.2.0/24", "10.86.2.10-10.86.2.20")).create();
    SpiderIPPool outside = new SpiderIPPool();
    outside.getMetadata().setName("wh-outside");
    outside.getMetadata().setLabels(Map.of(AutoPoolLabels.OWNER_SUBNET, "wh-sub-b"));
    SpiderIPPoolSpec spec = new SpiderIPPoolSpec();
    spec.setSubnet("10.86.2.0/24");
    spec.setIps(List.of("10.86.2.15-10.86.2.30"));
    outside.setSpec(spec);
    assertThat(rejection(() -> admin.resource(outside).create()))
        .contains(
            "spec.ips 10.86.2.21-10.86.2.30 are not among the IPs of SpiderSubnet wh-sub-b (10.86.2.0/24)");
    assertThat(
            rejection(
                () ->
                    admin
                        .resource(subnet("wh-sub-overlap", "10.86.2.0/25", "10.86.2.100"))
                        .create()))
        .contains("overlaps SpiderSubnet wh-sub-b");
  }
}
