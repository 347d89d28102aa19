// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf.yml as the chart renders it, through SnakeYAML into the core reader. */
class ConfFileTest {
  @TempDir Path dir;

  @Test
  void readsTheChartsDocumentAndKeepsUnknownKeysForAWarning() throws IOException {
    Path conf = dir.resolve("conf.yml");
    Files.writeString(
        conf,
        """
        ipamUnixSocketPath: /var/run/spidernet/other.sock
        enableIPv4: true
        enableIPv6: false
        enableStatefulSet: true
        clusterSubnetDefaultFlexibleIPNumber: 1
        futureFeature: on
        """);
    ClusterConfig c = ConfFile.load(conf);
    assertThat(c.ipamUnixSocketPath()).isEqualTo("/var/run/spidernet/other.sock");
    assertThat(c.enableIpv6()).isFalse();
    assertThat(c.unknownKeys()).containsExactly("futureFeature");
  }

  @Test
  void noFileMeansChartDefaultsAndAnEmptyDocumentToo() {
    assertThat(ConfFile.load(null)).isEqualTo(ClusterConfig.DEFAULTS);
    assertThat(ConfFile.parse("", "conf.yml").ipamUnixSocketPath())
        .isEqualTo(ClusterConfig.DEFAULT_SOCKET_PATH);
  }

  @Test
  void errorsNameTheFileAndTheKey() {
    assertThatThrownBy(() -> ConfFile.load(dir.resolve("missing.yml")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot read conf.yml at");
    assertThatThrownBy(() -> ConfFile.parse("enableIPv4: [", "/etc/conf.yml"))
        .hasMessageStartingWith("/etc/conf.yml is not valid YAML");
    assertThatThrownBy(() -> ConfFile.parse("enableIPv4: maybe", "/etc/conf.yml"))
        .hasMessageStartingWith("/etc/conf.yml: ")
        .hasMessageContaining("enableIPv4");
  }
}
