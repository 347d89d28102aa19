// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import static io.spiderpool.core.admission.AdmissionKind.IPPOOL;
import static io.spiderpool.core.admission.AdmissionKind.SUBNET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.pool.TopController;
import io.spiderpool.core.subnet.AutoPoolLabels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SpiderSubnet feature's admission rules with their messages, IPv4 and IPv6. */
class SubnetFeatureRulesTest {
  private static final SubnetFeatureRules RULES = new SubnetFeatureRules(ClusterConfig.DEFAULTS);
  private static final TopController WEB =
      new TopController("apps/v1", "Deployment", "ns", "web", "u1");

  record Fam(String subnet, String carved, String other, String excludeCarved) {}

  static Fam fam(String v) {
    return v.equals("4")
        ? new Fam("10.9.0.0/24", "10.9.0.10-10.9.0.12", "10.9.0.13", "10.9.0.11")
        : new Fam("fd00:9::/64", "fd00:9::10-fd00:9::12", "fd00:9::13", "fd00:9::11");
  }

  static AdmissionObject autoPool(Fam f, String ips) {
    Map<String, String> labels =
        new HashMap<>(Map.of(AutoPoolLabels.OWNER_SUBNET, "s", AutoPoolLabels.OWNER_NAME, "web"));
    return new AdmissionObject(
            IPPOOL,
            "auto-web",
            labels,
            List.of(),
            false,
            AddressSpec.of(f.subnet(), ips == null ? null : List.of(ips.split(";")), null),
            null,
            0)
        .withPodAffinity(AutoPoolLabels.podAffinity(WEB), 0);
  }

  static AdmissionObject subnet(Fam f, String ips, String excludes, String controlled) {
    return AdmissionObject.of(
            SUBNET,
            "s",
            AddressSpec.of(
                f.subnet(),
                List.of(ips.split(";")),
                excludes == null ? null : List.of(excludes.split(";"))))
        .withControlledIpPools(controlled);
  }

  static String carvedFor(Fam f) {
    return "{\"auto-web\":{\"ips\":[\""
        + f.carved()
        + "\"],\"application\":\"apps_v1_Deployment_ns_web\"}}";
  }

  @ParameterizedTest(name = "IPv{0}")
  @CsvSource({"4", "6"})
  void anAutoPoolWithExactlyItsCarveIsAdmittedOnCreateAndUpdate(String v) {
    Fam f = fam(v);
    AdmissionObject pool = autoPool(f, f.carved());
    Optional<AdmissionObject> s =
        Optional.of(subnet(f, f.carved() + ";" + f.other(), null, carvedFor(f)));
    assertThat(RULES.subnetToRead(Operation.CREATE, pool, null)).contains("s");
    assertThatCode(() -> RULES.validate(Operation.CREATE, pool, null, s))
        .doesNotThrowAnyException();
    // same ips (a label refresh): the carve is not read again
    AdmissionObject relabelled = autoPool(f, f.carved());
    assertThat(RULES.subnetToRead(Operation.UPDATE, relabelled, pool)).isEmpty();
    assertThatCode(() -> RULES.validate(Operation.UPDATE, relabelled, pool, Optional.empty()))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "IPv{0}")
  @CsvSource({"4", "6"})
  void editingAnAutoPoolsIpsIsRefusedWithWhatToChangeInstead(String v) {
    Fam f = fam(v);
    AdmissionObject stored = autoPool(f, f.carved());
    AdmissionObject edited = autoPool(f, f.carved() + ";" + f.other());
    Optional<AdmissionObject> s = Optional.of(subnet(f, f.carved(), null, carvedFor(f)));
    assertThatThrownBy(() -> RULES.validate(Operation.UPDATE, edited, stored, s))
        .isInstanceOf(Rejection.class)
        .hasMessage(
            "spec.ips of auto-created SpiderIPPool auto-web must be the addresses SpiderSubnet s carved for"
                + " it ("
                + f.carved()
                + "): the size of an auto-created pool follows its application's replicas and"
                + " ipam.spidernet.io/ippool-ip-number; change those instead");
  }

  @Test
  void anAutoPoolTheSubnetHasNotCarvedOrWhoseSubnetIsMissingIsRefused() {
    Fam f = fam("4");
    AdmissionObject pool = autoPool(f, f.carved());
    assertThatThrownBy(
            () ->
                RULES.validate(
                    Operation.CREATE, pool, null, Optional.of(subnet(f, f.carved(), null, null))))
        .isInstanceOf(Rejection.class)
        .hasMessage(
            "SpiderSubnet s has carved no addresses for auto-created SpiderIPPool auto-web: the size of an"
                + " auto-created pool follows its application's replicas and ipam.spidernet.io/ippool-ip-number; change"
                + " those instead");
    assertThatThrownBy(() -> RULES.validate(Operation.CREATE, pool, null, Optional.empty()))
        .isInstanceOf(Rejection.class)
        .hasMessageStartingWith(
            "auto-created SpiderIPPool auto-web names SpiderSubnet s, which does not exist");
  }

  @Test
  void anAutoPoolsAffinityNamesItsApplicationOnlyAndIsNotEdited() {
    Fam f = fam("6");
    AdmissionObject stored = autoPool(f, f.carved());
    Map<String, String> more = new HashMap<>(AutoPoolLabels.podAffinity(WEB));
    more.put("app", "web");
    assertThatThrownBy(
            () ->
                RULES.validate(
                    Operation.UPDATE, stored.withPodAffinity(more, 0), stored, Optional.empty()))
        .isInstanceOf(Rejection.class)
        .hasMessage(
            "spec.podAffinity of auto-created SpiderIPPool auto-web must name its application with exactly"
                + " the matchLabels ipam.spidernet.io/app-api-group, ipam.spidernet.io/app-api-version,"
                + " ipam.spidernet.io/app-kind, ipam.spidernet.io/app-namespace, ipam.spidernet.io/app-name and no"
                + " matchExpressions; remove app: the controller sets it when it makes the pool");
    assertThatThrownBy(
            () ->
                RULES.validate(
                    Operation.CREATE,
                    stored.withPodAffinity(AutoPoolLabels.podAffinity(WEB), 1),
                    null,
                    Optional.of(subnet(f, f.carved(), null, carvedFor(f)))))
        .isInstanceOf(Rejection.class)
        .hasMessageContaining("and no matchExpressions: the controller sets it");
    Map<String, String> other =
        AutoPoolLabels.podAffinity(new TopController("apps/v1", "Deployment", "ns", "db", "u"));
    assertThatThrownBy(
            () ->
                RULES.validate(
                    Operation.UPDATE, stored.withPodAffinity(other, 0), stored, Optional.empty()))
        .isInstanceOf(Rejection.class)
        .hasMessageStartingWith(
            "spec.podAffinity of auto-created SpiderIPPool auto-web cannot be edited: keep {")
        .hasMessageEndingWith("}; to serve other Pods, use a pool of your own");
  }

  @ParameterizedTest(name = "IPv{0}")
  @CsvSource({"4", "6"})
  void aSubnetUpdateMayNotTakeCarvedAddresses(String v) {
    Fam f = fam(v);
    AdmissionObject stored = subnet(f, f.carved() + ";" + f.other(), null, carvedFor(f));
    AdmissionObject shrunk = subnet(f, f.other(), null, null);
    assertThatThrownBy(() -> RULES.validate(Operation.UPDATE, shrunk, stored, Optional.empty()))
        .isInstanceOf(Rejection.class)
        .hasMessage(
            "spec.ips/spec.excludeIPs would take "
                + f.carved()
                + " from SpiderSubnet s, but they are carved"
                + " out to SpiderIPPool auto-web: keep them in spec.ips and out of spec.excludeIPs, or first scale down"
                + " or delete what uses that pool");
    AdmissionObject excluding = subnet(f, f.carved() + ";" + f.other(), f.excludeCarved(), null);
    assertThatThrownBy(() -> RULES.validate(Operation.UPDATE, excluding, stored, Optional.empty()))
        .isInstanceOf(Rejection.class)
        .hasMessageStartingWith("spec.ips/spec.excludeIPs would take " + f.excludeCarved());
    AdmissionObject dropsFree = subnet(f, f.carved(), null, null);
    assertThatCode(() -> RULES.validate(Operation.UPDATE, dropsFree, stored, Optional.empty()))
        .as("a free address may go")
        .doesNotThrowAnyException();
  }

  @Test
  void addressesBeingReleasedCountAsCarved() {
    Fam f = fam("4");
    String releasing =
        "{\"auto-web\":{\"ips\":[\"10.9.0.10\"],\"application\":\"a\",\"releasing\":[\"10.9.0.13\"]}}";
    AdmissionObject stored = subnet(f, f.carved() + ";" + f.other(), null, releasing);
    assertThatThrownBy(
            () ->
                RULES.validate(
                    Operation.UPDATE, subnet(f, f.carved(), null, null), stored, Optional.empty()))
        .isInstanceOf(Rejection.class)
        .hasMessageStartingWith("spec.ips/spec.excludeIPs would take 10.9.0.13");
  }

  @Test
  void withoutTheFeatureNothingIsChecked() {
    SubnetFeatureRules off =
        new SubnetFeatureRules(ClusterConfig.builder().spiderSubnet(false, false).build());
    Fam f = fam("4");
    AdmissionObject pool = autoPool(f, f.other());
    assertThat(off.subnetToRead(Operation.CREATE, pool, null)).isEmpty();
    assertThatCode(() -> off.validate(Operation.CREATE, pool, null, Optional.empty()))
        .doesNotThrowAnyException();
  }

  @Test
  void aPoolOfYourOwnIsNotAnAutoPool() {
    Fam f = fam("4");
    AdmissionObject manual =
        AdmissionObject.of(IPPOOL, "mine", AddressSpec.of(f.subnet(), List.of(f.other()), null))
            .withPodAffinity(Map.of("app", "web"), 1);
    assertThat(RULES.subnetToRead(Operation.CREATE, manual, null)).isEmpty();
    assertThatCode(() -> RULES.validate(Operation.CREATE, manual, null, Optional.empty()))
        .doesNotThrowAnyException();
  }
}
