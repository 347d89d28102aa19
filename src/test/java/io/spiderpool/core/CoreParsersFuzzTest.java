// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spiderpool.core.annotation.DefaultRouteNic;
import io.spiderpool.core.annotation.GoBool;
import io.spiderpool.core.annotation.IpNumber;
import io.spiderpool.core.annotation.IpPoolAnnotation;
import io.spiderpool.core.annotation.IpPoolsAnnotation;
import io.spiderpool.core.annotation.IpamAnnotations;
import io.spiderpool.core.annotation.MultusAnnotations;
import io.spiderpool.core.annotation.NamespaceDefaultPools;
import io.spiderpool.core.annotation.RoutesAnnotation;
import io.spiderpool.core.annotation.SubnetAnnotation;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.json.JsonReader;
import io.spiderpool.core.json.JsonWriter;
import io.spiderpool.core.net.Cidr;
import io.spiderpool.core.net.IpAddress;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.net.IpRange;
import io.spiderpool.core.range.RangeList;
import java.util.List;
import java.util.Map;

/**
 * Fuzz targets for the core's parsers of user text (docs/reliability.md, "Fuzzing"): every {@code
 * ipam.spidernet.io/*} annotation parser, the JSON reader, address, CIDR and range parsing.
 * Property: each returns, or refuses with an {@link InvalidInputException} whose message is not
 * blank; any other exception is a finding.
 */
class CoreParsersFuzzTest {

  /** Runs one parse; only a refusal with a message is an acceptable failure. */
  private static void parses(Runnable parse) {
    try {
      parse.run();
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @FuzzTest(maxDuration = "60s")
  void annotationParsers(FuzzedDataProvider data) {
    int which = data.consumeInt(0, 10);
    String value = data.consumeRemainingAsString();
    switch (which) {
      case 0 -> parses(() -> IpPoolAnnotation.parse(value));
      case 1 -> parses(() -> IpPoolsAnnotation.parse(value));
      case 2 -> parses(() -> SubnetAnnotation.parseSubnet(value));
      case 3 -> parses(() -> SubnetAnnotation.parseSubnets(value));
      case 4 -> parses(() -> RoutesAnnotation.parse(value));
      case 5 -> parses(() -> IpNumber.parse(value));
      case 6 -> parses(() -> DefaultRouteNic.parse(value));
      case 7 -> parses(() -> GoBool.parse(value, IpamAnnotations.POD_IPPOOL_RECLAIM));
      case 8 ->
          parses(
              () ->
                  NamespaceDefaultPools.parse(
                      Map.of(
                          IpamAnnotations.NS_DEFAULT_IPV4_IPPOOL,
                          value,
                          IpamAnnotations.NS_DEFAULT_IPV6_IPPOOL,
                          value)));
      case 9 ->
          parses(
              () ->
                  MultusAnnotations.parse(
                      Map.of(MultusAnnotations.NETWORKS, value), "ns", "kube-system", null));
      default ->
          parses(
              () ->
                  MultusAnnotations.parse(
                      Map.of(MultusAnnotations.DEFAULT_NETWORK, value), "ns", "kube-system", null));
    }
  }

  /** The reader accepts or refuses with a message; what it accepts the writer writes stably. */
  @FuzzTest(maxDuration = "60s")
  void jsonReader(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Object tree;
    try {
      tree = JsonReader.parse(text);
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    // what it accepted is written in a form that reads back to the same text: a fixed point (not
    // tree equality: 0e-0 reads as a BigDecimal, is written 0 and reads back as a Long)
    String written = JsonWriter.write(tree);
    assertThat(JsonWriter.write(JsonReader.parse(written))).isEqualTo(written);
  }

  @FuzzTest(maxDuration = "60s")
  void addressesCidrsAndRanges(FuzzedDataProvider data) {
    int which = data.consumeInt(0, 5);
    IpFamily family = data.consumeBoolean() ? IpFamily.V4 : IpFamily.V6;
    String text = data.consumeString(200);
    List<String> entries = List.of(text, data.consumeRemainingAsString());
    switch (which) {
      case 0 -> parses(() -> IpAddress.parse(text));
      case 1 -> parses(() -> Cidr.parse(text));
      case 2 -> parses(() -> Cidr.parsePrefixed(text));
      case 3 -> parses(() -> IpRange.parse(text));
      case 4 -> parses(() -> RangeList.parse("spec.ips", entries, family));
      default ->
          parses(
              () ->
                  RangeList.parse(
                      "spec.ips",
                      entries,
                      Cidr.parse(family == IpFamily.V4 ? "10.0.0.0/16" : "fd00::/112")));
    }
  }
}
