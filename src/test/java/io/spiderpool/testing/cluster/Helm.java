// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.testing.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spiderpool.testing.e2e.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The helm that hack/k8s-build.sh --cluster builds (HELM_VERSION of hack/k8s-versions.env), run on
 * helm/spiderpool without a cluster: lint and template. A missing helm fails with the command that
 * builds it.
 */
public final class Helm {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  public static final String CHART = "helm/spiderpool";

  private Helm() {}

  /** The helm binary, or an AssertionError naming the fix. */
  public static Path binary() {
    Properties v = ClusterExtension.versions();
    Path base =
        Path.of(
            System.getenv()
                .getOrDefault(
                    "SPIDERPOOL_K8S_DIR",
                    System.getProperty("user.home") + "/.cache/spiderpool/k8s"));
    Path helm = base.resolve("helm-" + v.getProperty("HELM_VERSION")).resolve("helm");
    if (!Files.isExecutable(helm)) {
      throw new AssertionError(
          helm + " not found: build it with hack/k8s-build.sh --cluster (hack/setup.sh does)");
    }
    return helm;
  }

  /** helm ARGS with its own config/cache dirs under target/; the outcome whatever the exit code. */
  public static Command.Outcome run(String... args) {
    List<String> argv = new ArrayList<>(List.of(binary().toString()));
    argv.addAll(List.of(args));
    return Command.run(
        argv,
        Map.of(
            "HELM_CACHE_HOME",
            "target/helm/cache",
            "HELM_CONFIG_HOME",
            "target/helm/config",
            "HELM_DATA_HOME",
            "target/helm/data"),
        "",
        Duration.ofMinutes(2));
  }

  /** helm template of the chart (release spiderpool, namespace kube-system) with ARGS, parsed. */
  public static List<JsonNode> template(String... args) {
    List<String> a =
        new ArrayList<>(List.of("template", "spiderpool", CHART, "--namespace", "kube-system"));
    a.addAll(List.of(args));
    Command.Outcome out = run(a.toArray(String[]::new));
    if (!out.ok()) {
      throw new AssertionError("helm template failed:\n" + out.describe());
    }
    return parse(out.stdout());
  }

  /** The YAML documents of a multi-document stream (empty documents dropped). */
  public static List<JsonNode> parse(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode d = it.next();
        if (d != null && !d.isNull() && !d.isEmpty()) {
          docs.add(d);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not YAML: " + yaml, e);
    }
    return docs;
  }

  /** The one document of this kind and name; fails if absent or repeated. */
  public static JsonNode find(List<JsonNode> docs, String kind, String name) {
    List<JsonNode> hits =
        docs.stream()
            .filter(
                d ->
                    d.path("kind").asText().equals(kind)
                        && d.path("metadata").path("name").asText().equals(name))
            .toList();
    if (hits.size() != 1) {
      throw new AssertionError(
          hits.size()
              + " documents of "
              + kind
              + " "
              + name
              + " among "
              + docs.stream()
                  .map(
                      d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
                  .toList());
    }
    return hits.get(0);
  }

  /** Whether a document of this kind exists. */
  public static boolean has(List<JsonNode> docs, String kind) {
    return docs.stream().anyMatch(d -> d.path("kind").asText().equals(kind));
  }
}
