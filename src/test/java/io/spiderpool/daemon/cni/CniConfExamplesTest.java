// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.json.JsonReader;
import io.spiderpool.core.json.JsonValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped examples in {@code cni-conf-examples/} are Spiderpool-shaped and valid: the daemon's
 * parser accepts each plugin's configuration as a runtime hands it over (the list's {@code
 * cniVersion} and {@code name} merged into the plugin object).
 */
class CniConfExamplesTest {
  private static final Path DIR = Path.of("cni-conf-examples");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".conflist")).sorted().toList().stream();
    }
  }

  @Test
  void thereIsOneExamplePerScenario() throws IOException {
    assertThat(examples()).hasSizeGreaterThanOrEqualTo(5);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExampleParsesWithSpiderpoolIpam(Path file) throws IOException {
    Map<String, Object> list =
        JsonValues.asObject(JsonReader.parse(Files.readString(file)), file.toString());
    List<Object> plugins = JsonValues.asArray(list.get("plugins"), "plugins");
    Map<String, Object> plugin =
        new LinkedHashMap<>(JsonValues.asObject(plugins.get(0), "plugins[0]"));
    plugin.put("cniVersion", list.get("cniVersion"));
    plugin.put("name", list.get("name"));

    NetConf conf = NetConfParser.parse(plugin);
    assertThat(conf.name()).isEqualTo(list.get("name"));
    assertThat(conf.ipam().defaultIpv4Pools().size() + conf.ipam().defaultIpv6Pools().size())
        .as("%s names default pools", file)
        .isPositive();
  }

  @Test
  void numbersWrittenAsStringsAsInSpiderpoolsDocsAreAccepted() throws IOException {
    Map<String, Object> list =
        JsonValues.asObject(
            JsonReader.parse(Files.readString(DIR.resolve("10-macvlan.conflist"))), "10-macvlan");
    Map<String, Object> plugin =
        new LinkedHashMap<>(
            JsonValues.asObject(
                JsonValues.asArray(list.get("plugins"), "plugins").get(0), "plugin"));
    plugin.put("cniVersion", list.get("cniVersion"));
    plugin.put("name", list.get("name"));
    IpamConf ipam = NetConfParser.parse(plugin).ipam();
    assertThat(ipam.logFileMaxSizeMb()).isEqualTo(100);
    assertThat(ipam.logFileMaxAgeDays()).isEqualTo(30);
    assertThat(ipam.logFileMaxCount()).isEqualTo(7);
    assertThat(ipam.logLevel()).isEqualTo("info");
  }
}
