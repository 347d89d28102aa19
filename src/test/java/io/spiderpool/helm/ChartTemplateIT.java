// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spiderpool.BuildInfo;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.daemon.ConfFile;
import io.spiderpool.testing.cluster.Helm;
import io.spiderpool.testing.e2e.Command;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * helm lint and helm template of helm/spiderpool, default and non-default values, parsed and
 * checked: what the DaemonSet runs and mounts, the probes' address, the webhooks' paths and
 * certificate, the ConfigMap as the daemon reads it, least-privilege RBAC, the standalone
 * controller, the default-pool hook, TLS methods, monitoring objects and Spiderpool-style values.
 */
class ChartTemplateIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void lintPassesWithDefaultAndNonDefaultValues() throws Exception {
    Path spiderpoolStyle = spiderpoolStyleValues();
    for (List<String> args :
        List.of(
            List.<String>of(),
            List.of(
                "--set",
                "spiderpoolController.standalone.enabled=true",
                "--set",
                "spiderpoolController.hostnetwork=false",
                "--set",
                "spiderpoolController.prometheus.enabled=true",
                "--set",
                "spiderpoolController.prometheus.serviceMonitor.install=true"),
            List.of(
                "--set",
                "clusterDefaultPool.installIPv4IPPool=true",
                "--set",
                "clusterDefaultPool.ipv4Subnet=10.6.0.0/16"),
            List.of(
                "--set",
                "spiderpoolController.tls.method=certmanager",
                "--set",
                "spiderpoolAgent.prometheus.enabled=true",
                "--set",
                "spiderpoolAgent.prometheus.serviceMonitor.install=true",
                "--set",
                "spiderpoolAgent.prometheus.prometheusRule.install=true",
                "--set",
                "grafanaDashboard.install=true"),
            List.of("--values", spiderpoolStyle.toString()))) {
      List<String> argv = new ArrayList<>(List.of("lint", "--strict", Helm.CHART));
      argv.addAll(args);
      Command.Outcome lint = Helm.run(argv.toArray(String[]::new));
      assertThat(lint.ok()).as(lint.describe()).isTrue();
      assertThat(lint.stdout()).contains("1 chart(s) linted, 0 chart(s) failed");
    }
  }

  @Test
  void theChartsAppVersionIsTheProjectsVersionTheImageIsTaggedWith() throws Exception {
    String chart = Files.readString(Path.of(Helm.CHART, "Chart.yaml"));
    assertThat(chart).contains("appVersion: \"" + BuildInfo.version() + "\"");
  }

  @Test
  void defaultValuesRenderOneDaemonSetThatServesEverything() {
    List<JsonNode> docs = Helm.template();
    Set<String> kinds =
        docs.stream()
            .map(d -> d.path("kind").asText())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(kinds)
        .containsExactly(
            "ClusterRole",
            "ClusterRoleBinding",
            "ConfigMap",
            "DaemonSet",
            "MutatingWebhookConfiguration",
            "Role",
            "RoleBinding",
            "Secret",
            "Service",
            "ServiceAccount",
            "ValidatingWebhookConfiguration");

    JsonNode pod =
        Helm.find(docs, "DaemonSet", "spiderpool-agent").path("spec").path("template").path("spec");
    assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
    assertThat(pod.path("priorityClassName").asText()).isEqualTo("system-node-critical");
    assertThat(pod.path("tolerations").toString()).isEqualTo("[{\"operator\":\"Exists\"}]");
    JsonNode init = pod.path("initContainers").get(0);
    assertThat(init.path("command").toString())
        .isEqualTo("[\"/opt/spiderpool/cni/install.sh\",\"/host/cni/bin\"]");
    assertThat(volume(pod, "cni-bin-dir").path("hostPath").path("path").asText())
        .isEqualTo("/opt/cni/bin");
    assertThat(volume(pod, "socket-dir").path("hostPath").path("path").asText())
        .isEqualTo("/var/run/spidernet");

    JsonNode daemon = pod.path("containers").get(0);
    assertThat(daemon.path("image").asText())
        .isEqualTo("localhost/spiderpool/spiderpool:" + BuildInfo.version());
    assertThat(daemon.path("args").toString())
        .isEqualTo("[\"daemon\",\"--config-path=/etc/spiderpool/config-map/conf.yml\"]");
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      JsonNode get = daemon.path(probe).path("httpGet");
      assertThat(get.path("host").asText()).as(probe).isEqualTo("127.0.0.1");
      assertThat(get.path("port").asInt()).as(probe).isEqualTo(5710);
      assertThat(get.path("path").asText()).as(probe).startsWith("/v1/runtime/");
    }
    assertThat(envFrom(daemon, "SPIDERPOOL_POD_IP")).isEqualTo("status.podIP");
    assertThat(envFrom(daemon, "SPIDERPOOL_NODE_NAME")).isEqualTo("spec.nodeName");
    assertThat(env(daemon, "SPIDERPOOL_CONTROLLER_ROLE_ENABLED")).isEqualTo("true");
    assertThat(env(daemon, "SPIDERPOOL_WEBHOOK_ENABLED")).isEqualTo("true");
    assertThat(env(daemon, "SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION")).isEqualTo("600");
    assertThat(env(daemon, "SPIDERPOOL_LEADER_LEASE_NAME"))
        .isEqualTo("spiderpool-controller-leases");
    assertThat(env(daemon, "KUBERNETES_SERVICE_HOST")).isNull();
    assertThat(daemon.path("securityContext").path("privileged").asBoolean(false)).isFalse();
    assertThat(daemon.path("securityContext").path("capabilities").path("drop").toString())
        .isEqualTo("[\"ALL\"]");
  }

  @Test
  void theConfigMapIsWhatTheDaemonReadsWithoutUnknownKeys() throws Exception {
    JsonNode cm =
        Helm.find(
            Helm.template(
                "--set", "ipam.enableIPv6=false", "--set", "ipam.enableStatefulSet=false"),
            "ConfigMap",
            "spiderpool-conf");
    Path conf = dir.resolve("conf.yml");
    Files.writeString(conf, cm.path("data").path("conf.yml").asText());
    ClusterConfig c = ConfFile.load(conf);
    assertThat(c.unknownKeys()).isEmpty();
    assertThat(c.deprecatedKeys()).isEmpty();
    assertThat(c.enableIpv4()).isTrue();
    assertThat(c.enableIpv6()).isFalse();
    assertThat(c.enableStatefulSet()).isFalse();
    assertThat(c.ipamUnixSocketPath()).isEqualTo("/var/run/spidernet/spiderpool.sock");
    assertThat(c.clusterSubnetDefaultFlexibleIpNumber()).isEqualTo(1);
  }

  @Test
  void theWebhooksUseSpiderpoolsPathsAndACertificateTheirCaBundleTrusts() throws Exception {
    List<JsonNode> docs = Helm.template();
    JsonNode mutating = Helm.find(docs, "MutatingWebhookConfiguration", "spiderpool-controller");
    JsonNode validating =
        Helm.find(docs, "ValidatingWebhookConfiguration", "spiderpool-controller");
    Set<String> paths = new TreeSet<>();
    for (JsonNode w :
        List.of(mutating, validating).stream().flatMap(c -> stream(c.path("webhooks"))).toList()) {
      JsonNode svc = w.path("clientConfig").path("service");
      assertThat(svc.path("name").asText()).isEqualTo("spiderpool-agent");
      assertThat(svc.path("namespace").asText()).isEqualTo("kube-system");
      assertThat(svc.path("port").asInt()).isEqualTo(5722);
      assertThat(w.path("failurePolicy").asText()).isEqualTo("Fail");
      assertThat(w.path("admissionReviewVersions").toString()).isEqualTo("[\"v1\"]");
      paths.add(svc.path("path").asText() + " " + w.path("rules").get(0).path("operations"));
    }
    assertThat(paths)
        .containsExactly(
            "/mutate-spiderpool-spidernet-io-v2beta1-spiderippool [\"CREATE\",\"UPDATE\"]",
            "/mutate-spiderpool-spidernet-io-v2beta1-spiderreservedip [\"CREATE\",\"UPDATE\"]",
            "/mutate-spiderpool-spidernet-io-v2beta1-spidersubnet [\"CREATE\",\"UPDATE\"]",
            "/validate-spiderpool-spidernet-io-v2beta1-spiderippool [\"CREATE\",\"UPDATE\",\"DELETE\"]",
            "/validate-spiderpool-spidernet-io-v2beta1-spiderreservedip [\"CREATE\",\"UPDATE\"]",
            "/validate-spiderpool-spidernet-io-v2beta1-spidersubnet [\"CREATE\",\"UPDATE\",\"DELETE\"]");

    JsonNode secret = Helm.find(docs, "Secret", "spiderpool-controller-server-certs");
    X509Certificate ca =
        cert(mutating.path("webhooks").get(0).path("clientConfig").path("caBundle").asText());
    X509Certificate served = cert(secret.path("data").path("tls.crt").asText());
    assertThat(secret.path("data").path("ca.crt").asText())
        .isEqualTo(
            validating.path("webhooks").get(0).path("clientConfig").path("caBundle").asText());
    served.verify(ca.getPublicKey());
    assertThat(served.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList())
        .contains(
            "spiderpool-agent.kube-system.svc", "spiderpool-agent.kube-system.svc.cluster.local");
    assertThat(new String(Base64.getDecoder().decode(secret.path("data").path("tls.key").asText())))
        .contains("PRIVATE KEY");
  }

  @Test
  void rbacNamesEveryResourceAndVerbWithoutWildcardsOrSecrets() {
    List<JsonNode> docs = Helm.template();
    for (JsonNode d : docs) {
      if (d.path("kind").asText().endsWith("Role")) {
        for (JsonNode rule : d.path("rules")) {
          assertThat(rule.toString())
              .as(d.path("metadata").path("name").asText())
              .doesNotContain("\"*\"")
              .doesNotContain("secrets")
              .doesNotContain("deletecollection");
          if (rule.toString().contains("\"patch\"")) {
            // the pool records' compare-and-set (a merge patch carrying the resourceVersion) is the
            // only patch
            assertThat(rule.path("resources").toString())
                .as(d.path("metadata").path("name").asText())
                .isEqualTo("[\"spiderippools/status\"]");
          }
        }
      }
    }
    JsonNode role = Helm.find(docs, "Role", "spiderpool-agent");
    assertThat(role.path("metadata").path("namespace").asText()).isEqualTo("kube-system");
    assertThat(role.path("rules").toString())
        .contains("\"resourceNames\":[\"spiderpool-controller-leases\"]")
        .contains("\"resourceNames\":[\"spiderpool-webhook-claims\"]");
    JsonNode binding = Helm.find(docs, "ClusterRoleBinding", "spiderpool-agent");
    assertThat(binding.path("subjects").toString())
        .isEqualTo(
            "[{\"kind\":\"ServiceAccount\",\"name\":\"spiderpool-agent\",\"namespace\":\"kube-system\"}]");
  }

  @Test
  void aStandaloneControllerTakesTheRoleAndTheWebhooksFromTheDaemons() {
    List<JsonNode> docs =
        Helm.template(
            "--set",
            "spiderpoolController.standalone.enabled=true",
            "--set",
            "spiderpoolController.hostnetwork=false",
            "--set",
            "spiderpoolController.replicas=2");
    JsonNode daemon =
        Helm.find(docs, "DaemonSet", "spiderpool-agent")
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    assertThat(env(daemon, "SPIDERPOOL_CONTROLLER_ROLE_ENABLED")).isEqualTo("false");
    assertThat(env(daemon, "SPIDERPOOL_WEBHOOK_ENABLED")).isEqualTo("false");
    // the role's rules (its Lease, the GC's writes to subnets, the auto-pool informers) stay off
    // the daemons
    assertThat(Helm.find(docs, "ClusterRole", "spiderpool-agent").path("rules").toString())
        .doesNotContain("leases")
        .doesNotContain("spidersubnets\"],\"verbs\":[\"get\",\"list\",\"watch\",\"update")
        .doesNotContain("\"resources\":[\"jobs\",\"cronjobs\"]");
    List<JsonNode> noSubnets =
        Helm.template(
            "--set",
            "spiderpoolController.standalone.enabled=true",
            "--set",
            "ipam.spiderSubnet.enable=false");
    assertThat(Helm.find(noSubnets, "ClusterRole", "spiderpool-agent").path("rules").toString())
        .as("without the SpiderSubnet feature the daemons never touch subnets")
        .doesNotContain("spidersubnets");
    assertThat(
            docs.stream()
                .anyMatch(
                    d ->
                        d.path("kind").asText().equals("Role")
                            && d.path("metadata").path("name").asText().equals("spiderpool-agent")))
        .isFalse();

    JsonNode deployment = Helm.find(docs, "Deployment", "spiderpool-controller");
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    assertThat(pod.path("hostNetwork").asBoolean()).isFalse();
    JsonNode controller = pod.path("containers").get(0);
    assertThat(controller.path("args").get(0).asText()).isEqualTo("controller");
    // a Pod of its own: probes bound to and called on the Pod's address
    assertThat(envFrom(controller, "SPIDERPOOL_HEALTH_ADDRESS")).isEqualTo("status.podIP");
    assertThat(controller.path("readinessProbe").path("httpGet").has("host")).isFalse();
    assertThat(
            Helm.find(docs, "MutatingWebhookConfiguration", "spiderpool-controller")
                .path("webhooks")
                .get(0)
                .path("clientConfig")
                .path("service")
                .path("name")
                .asText())
        .isEqualTo("spiderpool-controller");
    assertThat(
            Helm.find(docs, "Service", "spiderpool-controller")
                .path("spec")
                .path("ports")
                .get(0)
                .path("port")
                .asInt())
        .isEqualTo(5722);
    assertThat(Helm.find(docs, "Role", "spiderpool-controller").path("rules").toString())
        .contains("leases");
  }

  @Test
  void defaultPoolsComeFromAPostInstallHookRunningSpiderpoolInit() {
    List<JsonNode> docs =
        Helm.template(
            "--set",
            "clusterDefaultPool.installIPv4IPPool=true",
            "--set",
            "clusterDefaultPool.ipv4Subnet=10.6.0.0/16",
            "--set",
            "clusterDefaultPool.ipv4IPRanges={10.6.0.10-10.6.0.99}",
            "--set",
            "clusterDefaultPool.ipv4Gateway=10.6.0.1");
    JsonNode job = Helm.find(docs, "Job", "spiderpool-init");
    assertThat(job.path("metadata").path("annotations").path("helm.sh/hook").asText())
        .isEqualTo("post-install,post-upgrade");
    JsonNode c = job.path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(c.path("args").get(0).asText()).isEqualTo("init");
    assertThat(env(c, "SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_NAME")).isEqualTo("default-v4-ippool");
    assertThat(env(c, "SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_SUBNET")).isEqualTo("10.6.0.0/16");
    assertThat(env(c, "SPIDERPOOL_INIT_DEFAULT_IPV4_IPPOOL_IPRANGES"))
        .isEqualTo("[\"10.6.0.10-10.6.0.99\"]");
    assertThat(env(c, "SPIDERPOOL_INIT_DEFAULT_IPV4_SUBNET_NAME")).isEqualTo("default-v4-subnet");
    assertThat(env(c, "SPIDERPOOL_INIT_DEFAULT_IPV6_IPPOOL_NAME")).isNull();
    assertThat(Helm.find(docs, "ClusterRole", "spiderpool-init").path("rules").toString())
        .isEqualTo(
            "[{\"apiGroups\":[\"spiderpool.spidernet.io\"],\"resources\":[\"spiderippools\",\"spidersubnets\"],"
                + "\"verbs\":[\"get\",\"create\"]}]");

    Command.Outcome noSubnet =
        Helm.run("template", "x", Helm.CHART, "--set", "clusterDefaultPool.installIPv6IPPool=true");
    assertThat(noSubnet.ok()).isFalse();
    assertThat(noSubnet.stderr()).contains("clusterDefaultPool.ipv6Subnet is required");
  }

  @Test
  void providedAndCertManagerCertificates() {
    String pem =
        Base64.getEncoder()
            .encodeToString(
                "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n".getBytes());
    List<JsonNode> provided =
        Helm.template(
            "--set",
            "spiderpoolController.tls.method=provided",
            "--set",
            "spiderpoolController.tls.provided.tlsCert=" + pem,
            "--set",
            "spiderpoolController.tls.provided.tlsKey=" + pem,
            "--set",
            "spiderpoolController.tls.provided.tlsCa=" + pem);
    assertThat(
            Helm.find(provided, "Secret", "spiderpool-controller-server-certs")
                .path("data")
                .path("tls.crt")
                .asText())
        .isEqualTo(pem);
    assertThat(
            Helm.find(provided, "ValidatingWebhookConfiguration", "spiderpool-controller")
                .path("webhooks")
                .get(0)
                .path("clientConfig")
                .path("caBundle")
                .asText())
        .isEqualTo(pem);

    List<JsonNode> cm = Helm.template("--set", "spiderpoolController.tls.method=certmanager");
    assertThat(Helm.has(cm, "Secret")).isFalse();
    JsonNode cert = Helm.find(cm, "Certificate", "spiderpool-controller-server-certs");
    assertThat(cert.path("spec").path("secretName").asText())
        .isEqualTo("spiderpool-controller-server-certs");
    assertThat(cert.path("spec").path("dnsNames").toString())
        .contains("spiderpool-agent.kube-system.svc");
    JsonNode mwc = Helm.find(cm, "MutatingWebhookConfiguration", "spiderpool-controller");
    assertThat(
            mwc.path("metadata")
                .path("annotations")
                .path("cert-manager.io/inject-ca-from")
                .asText())
        .isEqualTo("kube-system/spiderpool-controller-server-certs");
    assertThat(mwc.path("webhooks").get(0).path("clientConfig").has("caBundle")).isFalse();

    Command.Outcome wrong =
        Helm.run("template", "x", Helm.CHART, "--set", "spiderpoolController.tls.method=selfmade");
    assertThat(wrong.ok()).isFalse();
    assertThat(wrong.stderr()).contains("must be auto, provided or certmanager");
  }

  @Test
  void withoutIpv4TheProbesCallTheLoopbackOfIpv6() {
    JsonNode daemon =
        Helm.find(Helm.template("--set", "ipam.enableIPv4=false"), "DaemonSet", "spiderpool-agent")
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    assertThat(daemon.path("livenessProbe").path("httpGet").path("host").asText()).isEqualTo("::1");
  }

  @Test
  void monitoringObjectsQueryTheDaemonsMetricNames() throws Exception {
    List<JsonNode> docs =
        Helm.template(
            "--set",
            "spiderpoolAgent.prometheus.enabled=true",
            "--set",
            "spiderpoolAgent.prometheus.serviceMonitor.install=true",
            "--set",
            "spiderpoolAgent.prometheus.prometheusRule.install=true",
            "--set",
            "grafanaDashboard.install=true");
    JsonNode sm = Helm.find(docs, "ServiceMonitor", "spiderpool-agent");
    assertThat(sm.path("spec").path("endpoints").get(0).path("port").asText()).isEqualTo("metrics");
    assertThat(Helm.find(docs, "Service", "spiderpool-agent").path("spec").path("ports").toString())
        .contains("\"name\":\"metrics\"")
        .contains("\"port\":5711");
    JsonNode rule = Helm.find(docs, "PrometheusRule", "spiderpool-agent");
    for (JsonNode r : rule.path("spec").path("groups").get(0).path("rules")) {
      assertThat(r.path("expr").asText()).contains("spiderpool_ipam_");
    }
    JsonNode dashboard =
        JSON.readTree(
            Helm.find(docs, "ConfigMap", "spiderpool-ipam-dashboard")
                .path("data")
                .path("spiderpool-ipam.json")
                .asText());
    assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(6);
    for (JsonNode p : dashboard.path("panels")) {
      assertThat(p.path("targets").get(0).path("expr").asText()).contains("spiderpool_ipam_");
    }
  }

  @Test
  void aStandaloneControllerServesItsMetricsOnSpiderpoolsPortWhenEnabled() {
    List<JsonNode> off = Helm.template("--set", "spiderpoolController.standalone.enabled=true");
    JsonNode quiet =
        Helm.find(off, "Deployment", "spiderpool-controller")
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    assertThat(env(quiet, "SPIDERPOOL_ENABLED_METRIC")).isEqualTo("false");
    assertThat(quiet.path("ports").toString()).doesNotContain("metrics");

    List<JsonNode> docs =
        Helm.template(
            "--set",
            "spiderpoolController.standalone.enabled=true",
            "--set",
            "spiderpoolController.prometheus.enabled=true",
            "--set",
            "spiderpoolController.prometheus.serviceMonitor.install=true");
    JsonNode controller =
        Helm.find(docs, "Deployment", "spiderpool-controller")
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    assertThat(env(controller, "SPIDERPOOL_ENABLED_METRIC")).isEqualTo("true");
    assertThat(env(controller, "SPIDERPOOL_METRIC_HTTP_PORT")).isEqualTo("5721");
    assertThat(envFrom(controller, "SPIDERPOOL_POD_IP")).isEqualTo("status.podIP");
    assertThat(controller.path("ports").toString())
        .contains("{\"name\":\"metrics\",\"containerPort\":5721,\"protocol\":\"TCP\"}");
    assertThat(
            Helm.find(docs, "Service", "spiderpool-controller")
                .path("spec")
                .path("ports")
                .toString())
        .contains("\"name\":\"metrics\"")
        .contains("\"port\":5721");
    JsonNode sm = Helm.find(docs, "ServiceMonitor", "spiderpool-controller");
    assertThat(sm.path("spec").path("endpoints").get(0).path("port").asText()).isEqualTo("metrics");
    assertThat(sm.path("spec").path("selector").path("matchLabels").toString())
        .contains("spiderpool-controller");
  }

  @Test
  void aSpiderpoolValuesFileWorks() throws Exception {
    List<JsonNode> docs =
        Helm.template(
            "--values",
            spiderpoolStyleValues().toString(),
            "--set",
            "global.imageRegistryOverride=registry.example");
    JsonNode ds = Helm.find(docs, "DaemonSet", "spiderpool-agent");
    JsonNode daemon = ds.path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(daemon.path("image").asText())
        .isEqualTo("registry.example/spidernet-io/spiderpool/spiderpool-agent:v1.2.2");
    assertThat(
            volume(ds.path("spec").path("template").path("spec"), "cni-bin-dir")
                .path("hostPath")
                .path("path")
                .asText())
        .isEqualTo("/usr/libexec/cni");
    assertThat(env(daemon, "SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION")).isEqualTo("300");
    Path conf = dir.resolve("conf.yml");
    Files.writeString(
        conf,
        Helm.find(docs, "ConfigMap", "spiderpool-conf").path("data").path("conf.yml").asText());
    assertThat(ConfFile.load(conf).enableIpv6()).isFalse();
  }

  // --- helpers
  // --------------------------------------------------------------------------------------

  /** Keys as Spiderpool's chart has them, including many this chart does not read. */
  private Path spiderpoolStyleValues() throws Exception {
    Path f = dir.resolve("spiderpool-values.yaml");
    Files.writeString(
        f,
        """
        global:
          imageRegistryOverride: ""
          cniBinHostPath: /usr/libexec/cni
          cniConfHostPath: /etc/cni/net.d
          ipamUNIXSocketHostPath: /var/run/spidernet/spiderpool.sock
        ipam:
          enableIPv4: true
          enableIPv6: false
          gc:
            enabled: true
            gcAll: {intervalInSecond: 300}
        multus:
          multusCNI: {install: false, defaultCniCRName: ""}
        coordinator:
          enabled: false
        plugins:
          installCNI: false
        spiderpoolAgent:
          image:
            registry: ghcr.io
            repository: spidernet-io/spiderpool/spiderpool-agent
            tag: v1.2.2
          prometheus:
            enabled: false
        spiderpoolController:
          replicas: 1
          tls:
            method: auto
        """);
    return f;
  }

  private static JsonNode volume(JsonNode podSpec, String name) {
    return stream(podSpec.path("volumes"))
        .filter(v -> v.path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static String env(JsonNode container, String name) {
    return stream(container.path("env"))
        .filter(e -> e.path("name").asText().equals(name))
        .map(e -> e.path("value").asText())
        .findFirst()
        .orElse(null);
  }

  private static String envFrom(JsonNode container, String name) {
    return stream(container.path("env"))
        .filter(e -> e.path("name").asText().equals(name))
        .map(e -> e.path("valueFrom").path("fieldRef").path("fieldPath").asText())
        .findFirst()
        .orElse(null);
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false);
  }

  private static X509Certificate cert(String base64Pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
  }
}
