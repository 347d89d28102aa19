// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import static io.spiderpool.testing.Waits.CLUSTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.restassured.response.Response;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderIPPoolStatus;
import io.spiderpool.k8s.api.SpiderReservedIP;
import io.spiderpool.k8s.api.SpiderSubnet;
import io.spiderpool.testing.Http;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The webhooks through the real API server: the server runs in this JVM on 127.0.0.1 with the
 * control plane's spare serving certificate, registered by URL with the CA as caBundle. Only
 * objects labelled {@value #LABEL} are sent to it (objectSelector), so the other IT classes sharing
 * the control plane never meet these webhooks; everything is removed in {@link #cleanUp}.
 */
@ExtendWith(ControlPlaneExtension.class)
class WebhookAdmissionIT {
  static final String LABEL = "webhook-it.spiderpool.io/test";
  private static final String NAME = "spiderpool-webhook-it";

  private static KubernetesClient client;
  private static WebhookServer server;
  private static Path tls;
  private static Path caCrt;
  private static Path caKey;

  /** A TLS client as the API server is one: the control plane's webhook client certificate. */
  private static SSLContext apiServerLike;

  private static LocalControlPlane controlPlane;

  @BeforeAll
  static void startAndRegister(LocalControlPlane cp, KubernetesClient c) throws Exception {
    client = c;
    tls = Files.createTempDirectory("webhook-it");
    caCrt = Path.of(cp.property("SPIDERPOOL_CP_CA_CRT"));
    caKey = Path.of(cp.property("SPIDERPOOL_CP_CA_KEY"));
    controlPlane = cp;
    apiServerLike =
        TestCerts.presenting(
            caCrt,
            Path.of(cp.property("SPIDERPOOL_CP_WEBHOOK_CLIENT_CRT")),
            Path.of(cp.property("SPIDERPOOL_CP_WEBHOOK_CLIENT_KEY")));
    Files.copy(Path.of(cp.property("SPIDERPOOL_CP_WEBHOOK_CRT")), tls.resolve("tls.crt"));
    Files.copy(Path.of(cp.property("SPIDERPOOL_CP_WEBHOOK_KEY")), tls.resolve("tls.key"));
    // only the API server, which presents the control plane's webhook client certificate, is served
    WebhookSettings settings =
        WebhookSettings.resolve(
                Map.of(), tls.resolve("tls.crt").toString(), tls.resolve("tls.key").toString(), "0")
            .withBindAddress("127.0.0.1")
            .withNamespace("default")
            .withCertCheckInterval(Duration.ZERO)
            .withClientCa(caCrt);
    server =
        WebhookServer.start(
            settings, client, ClusterConfig.builder().validatingDeletion(true).build());
    register();
    awaitWebhooksActive();
  }

  private static void register() throws Exception {
    String base = "https://127.0.0.1:" + server.port();
    String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(caCrt));
    MutatingWebhookConfigurationBuilder m =
        new MutatingWebhookConfigurationBuilder().withNewMetadata().withName(NAME).endMetadata();
    ValidatingWebhookConfigurationBuilder v =
        new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName(NAME).endMetadata();
    for (String kind : List.of("spiderippool", "spidersubnet", "spiderreservedip")) {
      String path = "-spiderpool-spidernet-io-v2beta1-" + kind;
      List<String> ops =
          kind.equals("spiderreservedip")
              ? List.of("CREATE", "UPDATE")
              : List.of("CREATE", "UPDATE", "DELETE");
      m.addNewWebhook()
          .withName(kind + ".mutate.spiderpool.spidernet.io")
          .withAdmissionReviewVersions("v1")
          .withSideEffects("None")
          .withFailurePolicy("Fail")
          .withNewClientConfig()
          .withUrl(base + "/mutate" + path)
          .withCaBundle(ca)
          .endClientConfig()
          .withNewObjectSelector()
          .addToMatchLabels(LABEL, "true")
          .endObjectSelector()
          .addNewRule()
          .withApiGroups("spiderpool.spidernet.io")
          .withApiVersions("v2beta1")
          .withResources(kind + "s")
          .withOperations("CREATE", "UPDATE")
          .endRule()
          .endWebhook();
      v.addNewWebhook()
          .withName(kind + ".validate.spiderpool.spidernet.io")
          .withAdmissionReviewVersions("v1")
          .withSideEffects("None")
          .withFailurePolicy("Fail")
          .withNewClientConfig()
          .withUrl(base + "/validate" + path)
          .withCaBundle(ca)
          .endClientConfig()
          .withNewObjectSelector()
          .addToMatchLabels(LABEL, "true")
          .endObjectSelector()
          .addNewRule()
          .withApiGroups("spiderpool.spidernet.io")
          .withApiVersions("v2beta1")
          .withResources(kind + "s")
          .withOperations(ops)
          .endRule()
          .endWebhook();
    }
    client.resource(m.build()).create();
    client.resource(v.build()).create();
  }

  /** The API server picks up webhook configurations asynchronously. */
  private static void awaitWebhooksActive() {
    await("the API server calls the registered webhooks")
        .atMost(CLUSTER)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              try {
                create(pool("wh-probe", "subnet: 10.230.0.1/24"));
                delete(SpiderIPPool.class, "wh-probe");
                return false;
              } catch (KubernetesClientException e) {
                if (e.getMessage().contains("is not canonical")) {
                  return true;
                }
                throw e;
              }
            });
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (client != null) {
      // first the configurations: with the server gone, failurePolicy Fail would block everyone
      client.resources(MutatingWebhookConfiguration.class).withName(NAME).delete();
      client.resources(ValidatingWebhookConfiguration.class).withName(NAME).delete();
      for (Class<? extends HasMetadata> type :
          List.of(SpiderIPPool.class, SpiderSubnet.class, SpiderReservedIP.class)) {
        for (HasMetadata o : client.resources(type).withLabel(LABEL, "true").list().getItems()) {
          delete(type, o.getMetadata().getName());
        }
      }
      client.configMaps().inNamespace("default").withName(ConfigMapClaimStore.NAME).delete();
    }
    if (server != null) {
      server.close();
    }
  }

  // ---- helpers ------------------------------------------------------------------------

  private static String yaml(String kind, String name, String spec) {
    return "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: "
        + kind
        + "\nmetadata:\n  name: "
        + name
        + "\n  labels:\n    "
        + LABEL
        + ": \"true\"\nspec:\n  "
        + spec.replace("\n", "\n  ")
        + "\n";
  }

  static SpiderIPPool pool(String name, String spec) {
    return Serialization.unmarshal(yaml("SpiderIPPool", name, spec), SpiderIPPool.class);
  }

  static SpiderSubnet subnet(String name, String spec) {
    return Serialization.unmarshal(yaml("SpiderSubnet", name, spec), SpiderSubnet.class);
  }

  static SpiderReservedIP reserved(String name, String spec) {
    return Serialization.unmarshal(yaml("SpiderReservedIP", name, spec), SpiderReservedIP.class);
  }

  static <T extends HasMetadata> T create(T o) {
    return client.resource(o).create();
  }

  /** Deletes without waiting for anyone: our finalizer is taken off first. */
  static void delete(Class<? extends HasMetadata> type, String name) {
    HasMetadata o = client.resources(type).withName(name).get();
    if (o == null) {
      return;
    }
    if (o.getMetadata().getFinalizers() != null && !o.getMetadata().getFinalizers().isEmpty()) {
      client
          .resources(type)
          .withName(name)
          .edit(
              x -> {
                x.getMetadata().setFinalizers(List.of());
                return x;
              });
    }
    client.resources(type).withName(name).delete();
  }

  static String rejection(Callable<?> call) {
    KubernetesClientException e =
        catchThrowableOfType(KubernetesClientException.class, () -> call.call());
    assertThat(e).as("expected the webhook to reject").isNotNull();
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : e.getMessage();
  }

  // ---- mutation -----------------------------------------------------------------------

  @Test
  void theStoredPoolCarriesVersionMergedRangesLabelAndFinalizer() {
    SpiderIPPool stored =
        create(
            pool(
                "wh-mutated",
                """
        subnet: 10.231.1.0/24
        ips: ["10.231.1.20", "10.231.1.10-10.231.1.19", "10.231.1.5"]
        excludeIPs: ["10.231.1.12", "10.231.1.11"]"""));
    assertThat(stored.getSpec().getIpVersion()).isEqualTo(4L);
    assertThat(stored.getSpec().getIps()).containsExactly("10.231.1.5", "10.231.1.10-10.231.1.20");
    assertThat(stored.getSpec().getExcludeIPs()).containsExactly("10.231.1.11-10.231.1.12");
    assertThat(stored.getMetadata().getLabels())
        .containsEntry("ipam.spidernet.io/ippool-cidr", "10-231-1-0-24");
    assertThat(stored.getMetadata().getFinalizers()).containsExactly("spiderpool.spidernet.io");

    SpiderSubnet s =
        create(
            subnet(
                "wh-mutated-v6",
                "subnet: fd00:231:0::/64\nips: [\"fd00:231::20\", \"fd00:231::10-fd00:231::1f\"]"));
    assertThat(s.getSpec().getIpVersion()).isEqualTo(6L);
    assertThat(s.getSpec().getSubnet()).as("respelled canonically").isEqualTo("fd00:231::/64");
    assertThat(s.getSpec().getIps()).containsExactly("fd00:231::10-fd00:231::20");
    assertThat(s.getMetadata().getLabels())
        .containsEntry("ipam.spidernet.io/subnet-cidr", "fd00-231---64");
    assertThat(s.getMetadata().getFinalizers()).containsExactly("spiderpool.spidernet.io");

    SpiderReservedIP r =
        create(reserved("wh-mutated-r", "ips: [\"fd00:231::9\", \"fd00:231::1-fd00:231::8\"]"));
    assertThat(r.getSpec().getIpVersion()).isEqualTo(6L);
    assertThat(r.getSpec().getIps()).containsExactly("fd00:231::1-fd00:231::9");
    assertThat(r.getMetadata().getFinalizers()).isNullOrEmpty();
  }

  // ---- validation: each rule rejected with its message, and its valid form admitted ---------

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "host bits       | subnet: 10.231.2.1/24                                       | subnet: 10.231.2.0/24                                        | spec.subnet 10.231.2.1/24 is not canonical: write 10.231.2.0/24",
        "ip outside      | subnet: 10.231.3.0/24\\nips: [10.231.4.1]                  | subnet: 10.231.3.0/24\\nips: [10.231.3.1]                   | spec.ips[0]: '10.231.4.1' is not inside subnet 10.231.3.0/24: use addresses from 10.231.3.0 to 10.231.3.255",
        "gateway in ips  | subnet: fd00:231:4::/64\\nips: ['fd00:231:4::1-fd00:231:4::9']\\ngateway: 'fd00:231:4::1' | subnet: fd00:231:4::/64\\nips: ['fd00:231:4::2-fd00:231:4::9']\\ngateway: 'fd00:231:4::1' | spec.gateway: fd00:231:4::1 is inside spec.ips: remove it from spec.ips or add it to spec.excludeIPs",
        "default route   | subnet: 10.231.5.0/24\\nroutes: [{dst: 0.0.0.0/0, gw: 10.231.5.1}] | subnet: 10.231.5.0/24\\nroutes: [{dst: 10.99.0.0/16, gw: 10.231.5.1}] | spec.routes[0].dst: 0.0.0.0/0 is the default route: remove this route and set spec.gateway instead",
        "route gw        | subnet: 10.231.6.0/24\\nroutes: [{dst: 10.99.0.0/16, gw: 10.1.1.1}] | subnet: 10.231.6.0/24\\nroutes: [{dst: 10.99.0.0/16, gw: 10.231.6.1}] | spec.routes[0].gw: 10.1.1.1 is not inside subnet 10.231.6.0/24",
        "empty affinity  | subnet: 10.231.7.0/24\\npodAffinity: {}                     | subnet: 10.231.7.0/24\\npodAffinity: {matchLabels: {app: web}} | spec.podAffinity is empty ({}), which would match every pod",
      })
  void poolRules(String rule, String bad, String good, String message) {
    String name = "wh-rule-" + rule.replace(' ', '-');
    assertThat(rejection(() -> create(pool(name, bad.replace("\\n", "\n"))))).contains(message);
    assertThat(create(pool(name, good.replace("\\n", "\n"))).getMetadata().getUid()).isNotBlank();
  }

  @Test
  void overlapsBetweenPoolsAndSubnets() {
    create(pool("wh-ov-a", "subnet: 10.231.10.0/24\nips: [10.231.10.10-10.231.10.20]"));
    assertThat(
            rejection(
                () ->
                    create(
                        pool(
                            "wh-ov-b",
                            "subnet: 10.231.10.0/24\nips: [10.231.10.20-10.231.10.30]"))))
        .contains(
            "spec.ips 10.231.10.20 overlap SpiderIPPool wh-ov-a (10.231.10.0/24): remove these addresses"
                + " from spec.ips or add them to spec.excludeIPs");
    assertThat(
            rejection(() -> create(pool("wh-ov-b", "subnet: 10.231.10.0/23\nips: [10.231.11.1]"))))
        .contains("spec.subnet 10.231.10.0/23 overlaps SpiderIPPool wh-ov-a (10.231.10.0/24)");
    create(pool("wh-ov-b", "subnet: 10.231.10.0/24\nips: [10.231.10.21-10.231.10.30]"));

    create(subnet("wh-ov-s", "subnet: 10.231.12.0/24\nips: [10.231.12.1-10.231.12.100]"));
    assertThat(rejection(() -> create(subnet("wh-ov-t", "subnet: 10.231.12.0/24"))))
        .contains(
            "spec.subnet 10.231.12.0/24 overlaps SpiderSubnet wh-ov-s (10.231.12.0/24): SpiderSubnets must not overlap");
    assertThat(rejection(() -> create(subnet("wh-ov-t", "subnet: 10.231.10.0/23"))))
        .contains(
            "overlaps SpiderIPPool wh-ov-a (10.231.10.0/24): a SpiderSubnet must be identical to or disjoint");
    assertThat(
            rejection(
                () ->
                    create(
                        subnet(
                            "wh-ov-t", "subnet: 10.231.10.0/24\nips: [10.231.10.1-10.231.10.25]"))))
        .contains(
            "SpiderIPPool wh-ov-b (10.231.10.0/24) uses 10.231.10.26-10.231.10.30, which are not in spec.ips");
    create(subnet("wh-ov-t", "subnet: 10.231.10.0/24\nips: [10.231.10.1-10.231.10.99]"));

    assertThat(rejection(() -> create(pool("wh-ov-c", "subnet: 10.231.12.0/25"))))
        .contains("spec.subnet 10.231.12.0/25 overlaps SpiderSubnet wh-ov-s (10.231.12.0/24)");
    assertThat(
            rejection(
                () ->
                    create(
                        pool(
                            "wh-ov-c",
                            "subnet: 10.231.12.0/24\nips: [10.231.12.99-10.231.12.110]"))))
        .contains(
            "spec.ips 10.231.12.101-10.231.12.110 are not among the IPs of SpiderSubnet wh-ov-s");
    create(pool("wh-ov-c", "subnet: 10.231.12.0/24\nips: [10.231.12.99-10.231.12.100]"));
  }

  @Test
  void updatesKeepImmutableFieldsAndAllocatedAddresses() {
    create(pool("wh-upd", "subnet: 10.231.20.0/24\nips: [10.231.20.10-10.231.20.20]"));
    SpiderIPPool p = client.resources(SpiderIPPool.class).withName("wh-upd").get();
    SpiderIPPoolStatus st = new SpiderIPPoolStatus();
    st.setAllocatedIPs("{\"10.231.20.12\":{\"pod\":\"ns/web-0\",\"podUid\":\"u-1\"}}");
    st.setAllocatedIPCount(1L);
    p.setStatus(st);
    client.resource(p).updateStatus();

    assertThat(
            rejection(
                () ->
                    client
                        .resources(SpiderIPPool.class)
                        .withName("wh-upd")
                        .edit(
                            x -> {
                              x.getSpec().setSubnet("10.231.21.0/24");
                              return x;
                            })))
        .contains(
            "spec.subnet is immutable: it was 10.231.20.0/24; keep 10.231.20.0/24 or create a new SpiderIPPool");
    assertThat(
            rejection(
                () ->
                    client
                        .resources(SpiderIPPool.class)
                        .withName("wh-upd")
                        .edit(
                            x -> {
                              x.getSpec().setIps(List.of("10.231.20.13-10.231.20.20"));
                              return x;
                            })))
        .contains(
            "spec.ips: 10.231.20.12 is allocated to pod ns/web-0 (uid u-1): keep it in spec.ips");
    assertThat(
            rejection(
                () ->
                    client
                        .resources(SpiderIPPool.class)
                        .withName("wh-upd")
                        .edit(
                            x -> {
                              x.getSpec().setExcludeIPs(List.of("10.231.20.12"));
                              return x;
                            })))
        .contains(
            "spec.excludeIPs: 10.231.20.12 is allocated to pod ns/web-0 (uid u-1): exclude it only after");
    SpiderIPPool grown =
        client
            .resources(SpiderIPPool.class)
            .withName("wh-upd")
            .edit(
                x -> {
                  x.getSpec().setIps(List.of("10.231.20.12-10.231.20.30"));
                  x.getSpec().setExcludeIPs(List.of("10.231.20.13"));
                  return x;
                });
    assertThat(grown.getSpec().getIps()).containsExactly("10.231.20.12-10.231.20.30");

    assertThat(rejection(() -> client.resources(SpiderIPPool.class).withName("wh-upd").delete()))
        .contains("SpiderIPPool wh-upd still has 1 allocated IPs: release them first");
    SpiderIPPool freed = client.resources(SpiderIPPool.class).withName("wh-upd").get();
    freed.getStatus().setAllocatedIPs(null);
    freed.getStatus().setAllocatedIPCount(0L);
    client.resource(freed).updateStatus();
    assertThat(client.resources(SpiderIPPool.class).withName("wh-upd").delete()).isNotEmpty();
    SpiderIPPool terminating = client.resources(SpiderIPPool.class).withName("wh-upd").get();
    assertThat(terminating.getMetadata().getDeletionTimestamp())
        .as("held by the finalizer")
        .isNotNull();
    assertThat(
            rejection(
                () ->
                    client
                        .resources(SpiderIPPool.class)
                        .withName("wh-upd")
                        .edit(
                            x -> {
                              x.getSpec().setDisable(true);
                              return x;
                            })))
        .contains("SpiderIPPool wh-upd is being deleted: it can no longer be changed");
  }

  @Test
  void reservedIpRules() {
    assertThat(rejection(() -> create(reserved("wh-r-bad", "ips: [\"10.231.30.1\", \"fd00::1\"]"))))
        .contains("spec.ips[1]: 'fd00::1' is IPv6 but this list holds IPv4 addresses");
    assertThat(rejection(() -> create(reserved("wh-r-bad", "ips: []"))))
        .contains("spec.ips is empty: list the addresses to reserve");
    create(reserved("wh-r-ok", "ips: [\"10.231.30.1\", \"10.231.30.2\"]"));
    assertThat(
            rejection(
                () ->
                    client
                        .resources(SpiderReservedIP.class)
                        .withName("wh-r-ok")
                        .edit(
                            x -> {
                              x.getSpec().setIpVersion(6L);
                              x.getSpec().setIps(List.of("fd00::1"));
                              return x;
                            })))
        .contains("spec.ipVersion is immutable: it was 4");
  }

  // ---- the race of docs/spiderpool-compat.md#overlapping-creates
  // -----------------------------------------------

  @Test
  void ofOverlappingPoolsCreatedAtOnceExactlyOneIsAdmitted() throws Exception {
    int threads = 3;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 20; round++) {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<String>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String name = "wh-race-" + round + "-" + t;
          String spec =
              "subnet: 10.232."
                  + round
                  + ".0/24\nips: [10.232."
                  + round
                  + "."
                  + (10 + t)
                  + "-10.232."
                  + round
                  + ".50]";
          // odd rounds: subnets instead of pools, so both kinds race
          HasMetadata obj =
              round % 2 == 0 ? pool(name, spec) : subnet(name, "subnet: 10.233." + round + ".0/24");
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      create(obj);
                      return "admitted";
                    } catch (KubernetesClientException e) {
                      return e.getMessage();
                    }
                  }));
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : results) {
          outcomes.add(f.get(60, TimeUnit.SECONDS));
        }
        assertThat(outcomes).as("round %d", round).filteredOn("admitted"::equals).hasSize(1);
        assertThat(outcomes)
            .as("round %d", round)
            .filteredOn(o -> !o.equals("admitted"))
            .allSatisfy(o -> assertThat(o).contains("overlap"));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- TLS ----------------------------------------------------------------------------

  @Test
  void healthCheckAndMalformedReviews() {
    Http.tls(server.port(), apiServerLike).get("/webhook-health-check").then().statusCode(200);
    Http.tls(server.port(), apiServerLike)
        .body("{\"kind\":\"AdmissionReview\"}")
        .post("/validate-spiderpool-spidernet-io-v2beta1-spiderippool")
        .then()
        .statusCode(400)
        .body(containsString("no request"));
  }

  @Test
  void aRotatedCertificateIsServedWithoutRestart() throws Exception {
    Path work = Files.createTempDirectory(tls, "rotate");
    TestCerts.issue(work, "next", "spiderpool-webhook-rotated", caCrt, caKey, "rsa-pkcs1");
    assertThat(
            TestCerts.presented(apiServerLike, server.port()).getSubjectX500Principal().getName())
        .contains("CN=spiderpool-test-webhook");

    // key first: for a moment the files disagree, and the old pair must keep serving
    Files.copy(work.resolve("next.key"), tls.resolve("tls.key.tmp"));
    Files.move(
        tls.resolve("tls.key.tmp"),
        tls.resolve("tls.key"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    assertThat(
            TestCerts.presented(apiServerLike, server.port()).getSubjectX500Principal().getName())
        .contains("CN=spiderpool-test-webhook");

    Files.copy(work.resolve("next.crt"), tls.resolve("tls.crt.tmp"));
    Files.move(
        tls.resolve("tls.crt.tmp"),
        tls.resolve("tls.crt"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    assertThat(
            TestCerts.presented(apiServerLike, server.port()).getSubjectX500Principal().getName())
        .contains("CN=spiderpool-webhook-rotated");

    // and the API server, which trusts the CA, still gets its answers
    assertThat(rejection(() -> create(pool("wh-after-rotation", "subnet: 10.231.40.7/24"))))
        .contains("spec.subnet 10.231.40.7/24 is not canonical: write 10.231.40.0/24");
  }

  // ---- who may cause a claim (issue 10) ------------------------------------------------

  private static final String FORGED_REVIEW =
      """
      {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"forged-1",
       "kind":{"group":"spiderpool.spidernet.io","version":"v2beta1","kind":"SpiderIPPool"},
       "operation":"CREATE","name":"%s","dryRun":false,
       "object":{"apiVersion":"spiderpool.spidernet.io/v2beta1","kind":"SpiderIPPool",
         "metadata":{"name":"%s"},"spec":{"ipVersion":4,"subnet":"%s","ips":["%s"]}}}}""";

  private static Response post(SSLContext tlsClient, int port, String body) {
    return Http.tls(port, tlsClient)
        .body(body)
        .post("/validate-spiderpool-spidernet-io-v2beta1-spiderippool");
  }

  /** With a client CA the port serves only the API server: a forged review never gets in. */
  @Test
  void aReviewFromAnyoneButTheApiServerIsRefusedAtTheHandshake() throws Exception {
    String forged =
        FORGED_REVIEW.formatted("evil-1", "evil-1", "10.236.0.0/16", "10.236.0.1-10.236.255.254");
    SSLContext anyone = Http.trusting(caCrt);
    Throwable refused =
        catchThrowableOfType(Exception.class, () -> post(anyone, server.port(), forged));
    assertThat(refused).as("a client without the API server's certificate").isNotNull();
    var claims =
        client.configMaps().inNamespace("default").withName(ConfigMapClaimStore.NAME).get();
    assertThat(claims == null ? Map.of() : claims.getData()).doesNotContainKey("ippool.evil-1");
    create(pool("wh-evil-victim", "subnet: 10.236.0.0/24\nips: [10.236.0.10-10.236.0.20]"));
  }

  /**
   * Without a client CA anyone who reaches the port can post a review; its claim then delays an
   * overlapping pool by at most the claim TTL and refuses nothing (it used to block for 30 s, and
   * for good when repeated).
   */
  @Test
  void aForgedReviewToAnOpenPortDelaysAnOverlappingPoolAtMostTheTtl() throws Exception {
    WebhookSettings open =
        WebhookSettings.resolve(
                Map.of(), tls.resolve("tls.crt").toString(), tls.resolve("tls.key").toString(), "0")
            .withBindAddress("127.0.0.1")
            .withNamespace("default")
            .withCertCheckInterval(Duration.ZERO);
    try (WebhookServer unauthenticated =
        WebhookServer.start(open, client, ClusterConfig.DEFAULTS)) {
      String forged =
          FORGED_REVIEW.formatted("evil-2", "evil-2", "10.237.0.0/16", "10.237.0.1-10.237.255.254");
      post(Http.trusting(caCrt), unauthenticated.port(), forged)
          .then()
          .statusCode(200)
          .body(containsString("\"allowed\":true"));
      assertThat(
              client
                  .configMaps()
                  .inNamespace("default")
                  .withName(ConfigMapClaimStore.NAME)
                  .get()
                  .getData())
          .containsKey("ippool.evil-2");
      long start = System.nanoTime();
      create(pool("wh-forged-victim", "subnet: 10.237.0.0/24\nips: [10.237.0.10-10.237.0.20]"));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took)
          .as("delayed at most the TTL (plus the API server's own time)")
          .isLessThan(WebhookSettings.DEFAULT_CLAIM_TTL.plusSeconds(3));
      await("the lapsed forged claim is removed")
          .atMost(CLUSTER)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  !client
                      .configMaps()
                      .inNamespace("default")
                      .withName(ConfigMapClaimStore.NAME)
                      .get()
                      .getData()
                      .containsKey("ippool.evil-2"));
    }
  }

  /** A pool deleted and a pool on the same range created right after: admitted at once. */
  @Test
  void aPoolCreatedRightAfterAnOverlappingOneWasDeletedIsAdmitted() throws Exception {
    create(pool("wh-gone-a", "subnet: 10.238.0.0/24\nips: [10.238.0.10-10.238.0.20]"));
    // as a user's delete goes: the pool turns terminating, the controller removes the finalizer
    client.resources(SpiderIPPool.class).withName("wh-gone-a").delete();
    client
        .resources(SpiderIPPool.class)
        .withName("wh-gone-a")
        .edit(
            x -> {
              x.getMetadata().setFinalizers(List.of());
              return x;
            });
    await("wh-gone-a deleted")
        .atMost(CLUSTER)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> client.resources(SpiderIPPool.class).withName("wh-gone-a").get() == null);
    long start = System.nanoTime();
    create(pool("wh-gone-b", "subnet: 10.238.0.0/24\nips: [10.238.0.10-10.238.0.20]"));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("no wait for a claim of a deleted pool")
        .isLessThan(WebhookSettings.DEFAULT_CLAIM_TTL);
  }
}
