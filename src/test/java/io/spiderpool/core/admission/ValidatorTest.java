// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import static io.spiderpool.core.admission.AdmissionKind.IPPOOL;
import static io.spiderpool.core.admission.AdmissionKind.RESERVED_IP;
import static io.spiderpool.core.admission.AdmissionKind.SUBNET;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spiderpool.core.config.ClusterConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rule, rejected with its message and accepted in its valid form; v4 and v6. */
class ValidatorTest {
  private static final Validator DEFAULTS = new Validator(ClusterConfig.DEFAULTS);

  private static List<String> list(String s) {
    return s == null || s.isBlank() ? null : Arrays.asList(s.split(";"));
  }

  private static AddressSpec spec(
      long v, String subnet, String ips, String excludes, String gateway) {
    return new AddressSpec(v, subnet, list(ips), list(excludes), gateway, null, false);
  }

  private static AdmissionObject pool(String name, AddressSpec s) {
    return AdmissionObject.of(IPPOOL, name, s);
  }

  private static List<Neighbour> neighbours(AdmissionObject... objects) {
    List<Neighbour> out = new ArrayList<>();
    for (AdmissionObject o : objects) {
      out.add(Neighbour.of(o).orElseThrow());
    }
    return out;
  }

  private static void rejects(
      Validator v,
      Operation op,
      AdmissionObject obj,
      AdmissionObject old,
      List<Neighbour> others,
      int code,
      String message) {
    assertThatThrownBy(() -> v.validate(op, obj, old, others))
        .isInstanceOf(Rejection.class)
        .hasMessage(message)
        .satisfies(e -> Assertions.assertThat(((Rejection) e).code()).isEqualTo(code));
  }

  private static void admits(
      Validator v, Operation op, AdmissionObject obj, AdmissionObject old, List<Neighbour> others) {
    assertThatCode(() -> v.validate(op, obj, old, others)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "host bits    | 4 | 10.0.0.1/24   | 10.0.0.10     |           |          | spec.subnet 10.0.0.1/24 is not canonical: write 10.0.0.0/24",
        "host bits v6 | 6 | fd00::1/64    | fd00::10      |           |          | spec.subnet fd00::1/64 is not canonical: write fd00::/64",
        "not a cidr   | 4 | 10.0.0.0      | 10.0.0.10     |           |          | spec.subnet '10.0.0.0' is not a CIDR: write an address and a prefix length, e.g. 10.0.0.0/24",
        "family       | 4 | fd00::/64     | fd00::10      |           |          | spec.subnet fd00::/64 is an IPv6 subnet where an IPv4 one is expected (spec.ipVersion is 4)",
        "ip outside   | 4 | 10.0.0.0/24   | 10.0.1.10     |           |          | spec.ips[0]: '10.0.1.10' is not inside subnet 10.0.0.0/24: use addresses from 10.0.0.0 to 10.0.0.255",
        "ip outside 6 | 6 | fd00::/120    | fd00::1-fd00::1ff |       |          | spec.ips[0]: 'fd00::1-fd00::1ff' is not inside subnet fd00::/120: use addresses from fd00:: to fd00::ff",
        "exclude out  | 4 | 10.0.0.0/24   | 10.0.0.10     | 10.0.9.1  |          | spec.excludeIPs[0]: '10.0.9.1' is not inside subnet 10.0.0.0/24: use addresses from 10.0.0.0 to 10.0.0.255",
        "bad range    | 4 | 10.0.0.0/24   | 10.0.0.9-10.0.0.1 |       |          | spec.ips[0]: '10.0.0.9-10.0.0.1' starts after it ends: write 10.0.0.1-10.0.0.9",
        "gw outside   | 4 | 10.0.0.0/24   | 10.0.0.10     |           | 10.0.1.1 | spec.gateway: 10.0.1.1 is not inside subnet 10.0.0.0/24: use an address of the subnet",
        "gw in ips    | 4 | 10.0.0.0/24   | 10.0.0.1-10.0.0.9 |       | 10.0.0.1 | spec.gateway: 10.0.0.1 is inside spec.ips: remove it from spec.ips or add it to spec.excludeIPs, so that no pod is given the gateway's address",
        "gw in ips 6  | 6 | fd00::/64     | fd00::1-fd00::9 |         | fd00::1  | spec.gateway: fd00::1 is inside spec.ips: remove it from spec.ips or add it to spec.excludeIPs, so that no pod is given the gateway's address",
        "bad version  | 5 | 10.0.0.0/24   | 10.0.0.10     |           |          | spec.ipVersion 5 is invalid: write 4 or 6",
      })
  void poolSpecRejections(
      String rule, long v, String subnet, String ips, String excludes, String gw, String message) {
    rejects(
        DEFAULTS,
        Operation.CREATE,
        pool("p", spec(v, subnet, ips, excludes, gw)),
        null,
        List.of(),
        422,
        message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "v4            | 4 | 10.0.0.0/24 | 10.0.0.1-10.0.0.9  |           | 10.0.0.254",
        "gw excluded   | 4 | 10.0.0.0/24 | 10.0.0.1-10.0.0.9  | 10.0.0.1  | 10.0.0.1",
        "v6            | 6 | fd00::/64   | fd00::10-fd00::20  |           | fd00::1",
        "no ips        | 4 | 10.0.0.0/24 |                    |           |",
      })
  void poolSpecAcceptances(
      String rule, long v, String subnet, String ips, String excludes, String gw) {
    admits(
        DEFAULTS, Operation.CREATE, pool("p", spec(v, subnet, ips, excludes, gw)), null, List.of());
  }

  @Test
  void aDisabledFamilyIsRefusedForEveryKind() {
    Validator v4only = new Validator(ClusterConfig.builder().families(true, false).build());
    String msg =
        "spec.ipVersion: IPv6 is disabled in spiderpool-conf (enableIPv6: false): use the other"
            + " family, or set enableIPv6: true and restart the daemons";
    rejects(
        v4only,
        Operation.CREATE,
        pool("p", spec(6, "fd00::/64", null, null, null)),
        null,
        List.of(),
        422,
        msg);
    rejects(
        v4only,
        Operation.CREATE,
        AdmissionObject.of(SUBNET, "s", spec(6, "fd00::/64", null, null, null)),
        null,
        List.of(),
        422,
        msg);
    rejects(
        v4only,
        Operation.CREATE,
        AdmissionObject.of(RESERVED_IP, "r", spec(6, null, "fd00::1", null, null)),
        null,
        List.of(),
        422,
        msg);
    admits(
        v4only,
        Operation.CREATE,
        pool("p", spec(4, "10.0.0.0/24", null, null, null)),
        null,
        List.of());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "default route | 0.0.0.0/0      | 10.0.0.1 | spec.routes[0].dst: 0.0.0.0/0 is the default route: remove this route and set spec.gateway instead",
        "dst host bits | 10.9.0.1/16    | 10.0.0.1 | spec.routes[0].dst: 10.9.0.1/16 is not canonical: write 10.9.0.0/16",
        "dst family    | fd00:9::/64    | 10.0.0.1 | spec.routes[0].dst: fd00:9::/64 is an IPv6 subnet where an IPv4 one is expected",
        "gw outside    | 10.9.0.0/16    | 10.1.0.1 | spec.routes[0].gw: 10.1.0.1 is not inside subnet 10.0.0.0/24: use a next hop the pods can reach directly, from 10.0.0.0 to 10.0.0.255",
        "gw not an ip  | 10.9.0.0/16    | x        | spec.routes[0].gw: 'x' is not an IP address: write e.g. 172.18.40.10 or fd00::10",
      })
  void badRoutesAreRejected(String rule, String dst, String gw, String message) {
    AddressSpec s =
        spec(4, "10.0.0.0/24", null, null, null).withRoutes(List.of(new RouteSpec(dst, gw)));
    rejects(DEFAULTS, Operation.CREATE, pool("p", s), null, List.of(), 422, message);
  }

  @Test
  void routesMustHaveDistinctDestinationsAndValidOnesPass() {
    AddressSpec dup =
        spec(6, "fd00::/64", null, null, null)
            .withRoutes(
                List.of(
                    new RouteSpec("fd00:9::/64", "fd00::1"),
                    new RouteSpec("fd00:9::/64", "fd00::2")));
    rejects(
        DEFAULTS,
        Operation.CREATE,
        pool("p", dup),
        null,
        List.of(),
        422,
        "spec.routes[1].dst: fd00:9::/64 is already routed by spec.routes[0]: keep one route per destination");
    AddressSpec ok =
        spec(6, "fd00::/64", null, null, null)
            .withRoutes(
                List.of(
                    new RouteSpec("fd00:9::/64", "fd00::1"),
                    new RouteSpec("fd00:a::/64", "fd00::1")));
    admits(DEFAULTS, Operation.CREATE, pool("p", ok), null, List.of());
  }

  @Test
  void anEmptyPodAffinityIsRejected() {
    rejects(
        DEFAULTS,
        Operation.CREATE,
        pool("p", spec(4, "10.0.0.0/24", null, null, null).withPodAffinityEmpty(true)),
        null,
        List.of(),
        422,
        "spec.podAffinity is empty ({}), which would match every pod: remove it, or give"
            + " matchLabels or matchExpressions");
  }

  @Test
  void poolsMayShareOnlyAnIdenticalSubnetAndThenNoAddress() {
    List<Neighbour> others =
        neighbours(pool("b", spec(4, "10.0.0.0/24", "10.0.0.10-10.0.0.20", "10.0.0.20", null)));
    rejects(
        DEFAULTS,
        Operation.CREATE,
        pool("a", spec(4, "10.0.0.0/16", "10.0.0.30", null, null)),
        null,
        others,
        422,
        "spec.subnet 10.0.0.0/16 overlaps SpiderIPPool b (10.0.0.0/24): a pool's subnet must be identical to or"
            + " disjoint from every other pool's and SpiderSubnet's; use 10.0.0.0/24 or a subnet that does not overlap it");
    rejects(
        DEFAULTS,
        Operation.CREATE,
        pool("a", spec(4, "10.0.0.0/24", "10.0.0.15-10.0.0.30", null, null)),
        null,
        others,
        422,
        "spec.ips 10.0.0.15-10.0.0.19 overlap SpiderIPPool b (10.0.0.0/24): remove these addresses"
            + " from spec.ips or add them to spec.excludeIPs");
    admits(
        DEFAULTS,
        Operation.CREATE,
        pool("a", spec(4, "10.0.0.0/24", "10.0.0.15-10.0.0.30", "10.0.0.15-10.0.0.19", null)),
        null,
        others);
    admits(
        DEFAULTS,
        Operation.CREATE,
        pool("a", spec(4, "10.1.0.0/16", "10.1.0.1", null, null)),
        null,
        others);
  }

  @Test
  void poolsOnAnIpv6SubnetOverlapTheSameWay() {
    List<Neighbour> others =
        neighbours(pool("b", spec(6, "fd00::/64", "fd00::10-fd00::20", null, null)));
    rejects(
        DEFAULTS,
        Operation.CREATE,
        pool("a", spec(6, "fd00::/64", "fd00::20-fd00::30", null, null)),
        null,
        others,
        422,
        "spec.ips fd00::20 overlap SpiderIPPool b (fd00::/64): remove these addresses from spec.ips"
            + " or add them to spec.excludeIPs");
    admits(
        DEFAULTS,
        Operation.CREATE,
        pool("a", spec(6, "fd00::/64", "fd00::21-fd00::30", null, null)),
        null,
        others);
  }

  @Test
  void aPoolEqualsOrAvoidsEverySubnetAndStaysInsideItsIps() {
    List<Neighbour> others =
        neighbours(
            AdmissionObject.of(
                SUBNET, "s", spec(4, "10.0.0.0/24", "10.0.0.1-10.0.0.100", null, null)));
    rejects(
        DEFAULTS,
        Operation.CREATE,
        pool("a", spec(4, "10.0.0.0/25", "10.0.0.5", null, null)),
        null,
        others,
        422,
        "spec.subnet 10.0.0.0/25 overlaps SpiderSubnet s (10.0.0.0/24): a pool's subnet must be identical to or"
            + " disjoint from every other pool's and SpiderSubnet's; use 10.0.0.0/24 or a subnet that does not overlap it");
    rejects(
        DEFAULTS,
        Operation.CREATE,
        pool("a", spec(4, "10.0.0.0/24", "10.0.0.90-10.0.0.110", null, null)),
        null,
        others,
        422,
        "spec.ips 10.0.0.101-10.0.0.110 are not among the IPs of SpiderSubnet s (10.0.0.0/24): add them"
            + " to the SpiderSubnet's spec.ips first, or use addresses it holds");
    admits(
        DEFAULTS,
        Operation.CREATE,
        pool("a", spec(4, "10.0.0.0/24", "10.0.0.90-10.0.0.100", null, null)),
        null,
        others);
    Validator noSubnets = new Validator(ClusterConfig.builder().spiderSubnet(false, false).build());
    admits(
        noSubnets,
        Operation.CREATE,
        pool("a", spec(4, "10.0.0.0/24", "10.0.0.90-10.0.0.110", null, null)),
        null,
        others);
  }

  @Test
  void subnetsOverlapNothingButPoolsOfTheirOwnCidr() {
    AdmissionObject other =
        AdmissionObject.of(SUBNET, "t", spec(4, "10.0.0.0/24", null, null, null));
    rejects(
        DEFAULTS,
        Operation.CREATE,
        AdmissionObject.of(SUBNET, "s", spec(4, "10.0.0.0/24", null, null, null)),
        null,
        neighbours(other),
        422,
        "spec.subnet 10.0.0.0/24 overlaps SpiderSubnet t (10.0.0.0/24): SpiderSubnets must not"
            + " overlap, not even with an identical subnet; choose a disjoint subnet or add the addresses to t");
    AdmissionObject p = pool("p", spec(4, "10.1.0.0/24", "10.1.0.10-10.1.0.20", null, null));
    rejects(
        DEFAULTS,
        Operation.CREATE,
        AdmissionObject.of(SUBNET, "s", spec(4, "10.1.0.0/16", null, null, null)),
        null,
        neighbours(other, p),
        422,
        "spec.subnet 10.1.0.0/16 overlaps SpiderIPPool p (10.1.0.0/24): a SpiderSubnet must"
            + " be identical to or disjoint from every pool's subnet; use 10.1.0.0/24 or a subnet that does not overlap it");
    rejects(
        DEFAULTS,
        Operation.CREATE,
        AdmissionObject.of(SUBNET, "s", spec(4, "10.1.0.0/24", "10.1.0.1-10.1.0.15", null, null)),
        null,
        neighbours(other, p),
        422,
        "SpiderIPPool p (10.1.0.0/24) uses 10.1.0.16-10.1.0.20, which are"
            + " not in spec.ips minus spec.excludeIPs: add them to spec.ips (or remove them from spec.excludeIPs)");
    admits(
        DEFAULTS,
        Operation.CREATE,
        AdmissionObject.of(SUBNET, "s", spec(4, "10.1.0.0/24", "10.1.0.1-10.1.0.99", null, null)),
        null,
        neighbours(other, p));
  }

  @Test
  void immutableFieldsAndTheNameOfTheObjectItself() {
    AdmissionObject old = pool("a", spec(4, "10.0.0.0/24", "10.0.0.10", null, null));
    rejects(
        DEFAULTS,
        Operation.UPDATE,
        pool("a", spec(4, "10.0.1.0/24", "10.0.1.10", null, null)),
        old,
        List.of(),
        422,
        "spec.subnet is immutable: it was 10.0.0.0/24; keep 10.0.0.0/24 or create a new SpiderIPPool for 10.0.1.0/24");
    rejects(
        DEFAULTS,
        Operation.UPDATE,
        pool("a", spec(6, "10.0.0.0/24", "10.0.0.10", null, null)),
        old,
        List.of(),
        422,
        "spec.ipVersion is immutable: it was 4; keep 4 or create a new SpiderIPPool");
    AdmissionObject oldR =
        AdmissionObject.of(RESERVED_IP, "r", spec(4, null, "10.0.0.1", null, null));
    rejects(
        DEFAULTS,
        Operation.UPDATE,
        AdmissionObject.of(RESERVED_IP, "r", spec(6, null, "fd00::1", null, null)),
        oldR,
        List.of(),
        422,
        "spec.ipVersion is immutable: it was 4; keep 4 or create a new SpiderReservedIP");
    // growing a pool is checked against the others but not against itself
    admits(
        DEFAULTS,
        Operation.UPDATE,
        pool("a", spec(4, "10.0.0.0/24", "10.0.0.10-10.0.0.50", null, null)),
        old,
        neighbours(old));
  }

  @Test
  void allocatedAddressesCanBeNeitherRemovedNorExcluded() {
    AdmissionObject old =
        pool("a", spec(4, "10.0.0.0/24", "10.0.0.10-10.0.0.20", null, null))
            .withStatus("{\"10.0.0.12\":{\"pod\":\"ns/web-0\",\"podUid\":\"u1\"}}", 1);
    rejects(
        DEFAULTS,
        Operation.UPDATE,
        pool("a", spec(4, "10.0.0.0/24", "10.0.0.13-10.0.0.20", null, null)),
        old,
        List.of(),
        422,
        "spec.ips: 10.0.0.12 is allocated to pod ns/web-0 (uid u1): keep it in spec.ips until the pod"
            + " has released it");
    rejects(
        DEFAULTS,
        Operation.UPDATE,
        pool("a", spec(4, "10.0.0.0/24", "10.0.0.10-10.0.0.20", "10.0.0.12", null)),
        old,
        List.of(),
        422,
        "spec.excludeIPs: 10.0.0.12 is allocated to pod ns/web-0 (uid u1): exclude it only after the"
            + " pod has released it");
    admits(
        DEFAULTS,
        Operation.UPDATE,
        pool("a", spec(4, "10.0.0.0/24", "10.0.0.12-10.0.0.20", "10.0.0.13", null)),
        old,
        List.of());
  }

  @Test
  void aTerminatingPoolMayOnlyLoseItsFinalizer() {
    AdmissionObject old = pool("a", spec(4, "10.0.0.0/24", null, null, null));
    AdmissionObject stillHeld = old.withMetadata(Map.of(), List.of(Mutator.FINALIZER), true);
    rejects(
        DEFAULTS,
        Operation.UPDATE,
        stillHeld,
        stillHeld,
        List.of(),
        403,
        "SpiderIPPool a is being deleted: it can"
            + " no longer be changed (only its finalizer spiderpool.spidernet.io can be removed)");
    admits(
        DEFAULTS,
        Operation.UPDATE,
        old.withMetadata(Map.of(), List.of(), true),
        stillHeld,
        List.of());
  }

  @Test
  void deletionOfAnObjectInUseIsRefusedOnlyWhenConfigured() {
    AdmissionObject used = pool("a", spec(4, "10.0.0.0/24", null, null, null)).withStatus(null, 3);
    admits(DEFAULTS, Operation.DELETE, null, used, List.of());
    Validator strict = new Validator(ClusterConfig.builder().validatingDeletion(true).build());
    rejects(
        strict,
        Operation.DELETE,
        null,
        used,
        List.of(),
        403,
        "SpiderIPPool a still has 3 allocated IPs: release"
            + " them first (delete the pods or pools using it), or set enableValidatingResourcesDeletedWebhook: false so"
            + " that the finalizer holds it until they are released");
    AdmissionObject subnet =
        AdmissionObject.of(SUBNET, "s", spec(4, "10.0.0.0/24", null, null, null))
            .withStatus(null, 5);
    rejects(
        strict,
        Operation.DELETE,
        null,
        subnet,
        List.of(),
        403,
        "SpiderSubnet s still has 5 IPs carved out to pools:"
            + " release them first (delete the pods or pools using it), or set enableValidatingResourcesDeletedWebhook:"
            + " false so that the finalizer holds it until they are released");
    admits(strict, Operation.DELETE, null, used.withStatus(null, 0), List.of());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "empty     | 4 |                   | spec.ips is empty: list the addresses to reserve, e.g. 10.0.0.10 or 10.0.0.10-10.0.0.20",
        "family    | 4 | 10.0.0.1;fd00::1  | spec.ips[1]: 'fd00::1' is IPv6 but this list holds IPv4 addresses",
        "not an ip | 6 | fd00::1;fd00::zz  | spec.ips[1]: 'fd00::zz' is not an IP range: write an address (172.18.40.10) or a range without spaces (172.18.40.10-172.18.40.20)",
      })
  void reservedIpRejections(String rule, long v, String ips, String message) {
    rejects(
        DEFAULTS,
        Operation.CREATE,
        AdmissionObject.of(RESERVED_IP, "r", spec(v, null, ips, null, null)),
        null,
        List.of(),
        422,
        message);
  }

  @Test
  void reservedIpsAreAcceptedEvenWhereAPoolAllocates() {
    admits(
        DEFAULTS,
        Operation.CREATE,
        AdmissionObject.of(RESERVED_IP, "r", spec(6, null, "fd00::1;fd00::5-fd00::9", null, null)),
        null,
        neighbours(pool("b", spec(6, "fd00::/64", "fd00::1-fd00::20", null, null))));
  }

  @Test
  void onlyChangesOfTheAddressSpaceNeedTheOthers() {
    AdmissionObject a = pool("a", spec(4, "10.0.0.0/24", "10.0.0.1", null, null));
    Assertions.assertThat(Validator.needsNeighbours(Operation.CREATE, a, null)).isTrue();
    Assertions.assertThat(Validator.needsNeighbours(Operation.UPDATE, a, a)).isFalse();
    Assertions.assertThat(
            Validator.needsNeighbours(
                Operation.UPDATE, a.withSpec(a.spec().withIps(List.of("10.0.0.2"))), a))
        .isTrue();
    Assertions.assertThat(Validator.needsNeighbours(Operation.DELETE, a, a)).isFalse();
    Assertions.assertThat(
            Validator.needsNeighbours(
                Operation.CREATE, AdmissionObject.of(RESERVED_IP, "r", a.spec()), null))
        .isFalse();
  }
}
