// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture in {@code src/test/resources/crds/} survives deserialize → serialize → deserialize:
 * the objects are equal and the serialized tree equals the YAML's, so no field (known or unknown,
 * empty list or absent) is lost or invented.
 */
class SpiderpoolYamlRoundTripTest {

  static Stream<String> fixtures() throws IOException, URISyntaxException {
    Path dir = Path.of(SpiderpoolYamlRoundTripTest.class.getResource("/crds").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void roundTripKeepsTheObjectAndEveryField(String fixture) {
    String yaml = Fixtures.yaml(fixture);
    Class<? extends HasMetadata> kind = Fixtures.kindOf(yaml);

    HasMetadata first = Fixtures.SERIALIZATION.unmarshal(yaml, kind);
    String written = Fixtures.SERIALIZATION.asYaml(first);
    HasMetadata second = Fixtures.SERIALIZATION.unmarshal(written, kind);

    assertThat(second).isEqualTo(first);
    assertThat(Fixtures.tree(first)).isEqualTo(Fixtures.tree(yaml));
  }

  @Test
  void everyKindHasAtLeastTwoFixtures() throws Exception {
    List<String> names = fixtures().toList();
    for (Class<? extends HasMetadata> kind : SpiderpoolApi.KINDS) {
      String prefix = HasMetadata.getKind(kind).toLowerCase() + "-";
      assertThat(names).filteredOn(n -> n.startsWith(prefix)).as(prefix).hasSizeGreaterThan(1);
    }
  }
}
