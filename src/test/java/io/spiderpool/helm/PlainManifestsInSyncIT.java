// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spiderpool.testing.cluster.ClusterExtension;
import io.spiderpool.testing.cluster.Helm;
import io.spiderpool.testing.e2e.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * src/main/kubernetes is the chart rendered with its default values (hack/sync-manifests.sh), less
 * the webhook certificate Helm generates at random; kustomization.yaml adds that from files. This
 * keeps the two equal, like GeneratedCrdsInSyncIT keeps the CRD copies, and builds the
 * kustomization with kubectl to show that the Secret and every caBundle come out of it.
 */
class PlainManifestsInSyncIT {
  private static final Path DIR = Path.of("src/main/kubernetes");
  private static final String SECRET = "spiderpool-controller-server-certs";

  @TempDir Path tmp;

  @Test
  void spiderpoolYamlIsTheChartWithDefaultValues() throws Exception {
    List<JsonNode> rendered = new ArrayList<>();
    for (JsonNode d : Helm.template()) {
      if (d.path("kind").asText().equals("Secret")
          && d.path("metadata").path("name").asText().equals(SECRET)) {
        continue;
      }
      for (JsonNode w : d.path("webhooks")) {
        ((ObjectNode) w.path("clientConfig")).remove("caBundle");
      }
      rendered.add(d);
    }
    List<JsonNode> committed = Helm.parse(Files.readString(DIR.resolve("spiderpool.yaml")));
    assertThat(committed)
        .as(
            "src/main/kubernetes/spiderpool.yaml differs from the chart: run hack/sync-manifests.sh")
        .isEqualTo(rendered);
  }

  @Test
  void theCrdsAreTheChartsCrds() throws Exception {
    List<String> chart = names(Path.of(Helm.CHART, "crds"));
    assertThat(names(DIR.resolve("crds"))).isEqualTo(chart);
    for (String f : chart) {
      assertThat(Files.readString(DIR.resolve("crds").resolve(f)))
          .as(f + " differs from the chart's copy: run hack/sync-manifests.sh")
          .isEqualTo(Files.readString(Path.of(Helm.CHART, "crds", f)));
    }
  }

  @Test
  void theKustomizationAddsTheSecretAndEveryCaBundle() throws Exception {
    Path copy = tmp.resolve("kubernetes");
    Command.run("cp", "-r", DIR.toString(), copy.toString()).orThrow();
    Command.run(
            List.of("hack/webhook-certs.sh", copy.resolve("tls").toString()),
            Map.of(),
            "",
            Duration.ofSeconds(60))
        .orThrow();
    Properties v = ClusterExtension.versions();
    Path kubectl =
        Path.of(
            System.getenv()
                .getOrDefault(
                    "SPIDERPOOL_K8S_DIR",
                    System.getProperty("user.home") + "/.cache/spiderpool/k8s"),
            v.getProperty("K8S_VERSION"),
            "kubectl");
    assertThat(kubectl).as("kubectl from hack/k8s-build.sh").isExecutable();
    Command.Outcome built = Command.run(kubectl.toString(), "kustomize", copy.toString());
    assertThat(built.ok()).as(built.describe()).isTrue();
    List<JsonNode> docs = Helm.parse(built.stdout());
    String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(copy.resolve("tls/ca.crt")));
    JsonNode secret = Helm.find(docs, "Secret", SECRET);
    assertThat(secret.path("metadata").path("namespace").asText()).isEqualTo("kube-system");
    // kustomize wraps long base64 values in lines, which the API server's decoder skips
    assertThat(secret.path("data").path("ca.crt").asText().replaceAll("\\s", "")).isEqualTo(ca);
    int hooks = 0;
    for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
      for (JsonNode w : Helm.find(docs, kind, "spiderpool-controller").path("webhooks")) {
        assertThat(w.path("clientConfig").path("caBundle").asText().replaceAll("\\s", ""))
            .as(w.path("name").asText())
            .isEqualTo(ca);
        hooks++;
      }
    }
    assertThat(hooks).isEqualTo(6);
    assertThat(
            docs.stream()
                .filter(d -> d.path("kind").asText().equals("CustomResourceDefinition"))
                .count())
        .isEqualTo(4);
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .sorted()
          .toList();
    }
  }
}
