// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MutatorTest {

  private static AdmissionObject pool(AddressSpec spec) {
    return AdmissionObject.of(AdmissionKind.IPPOOL, "p", spec);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.0/24   | 4 | 10-0-0-0-24",
        "fd00::/64     | 6 | fd00---64",
      })
  void poolGetsVersionLabelAndFinalizer(String subnet, long version, String label) {
    Mutation m = Mutator.mutate(pool(AddressSpec.of(subnet, null, null)));
    assertThat(m.ipVersion()).isEqualTo(version);
    assertThat(m.labels()).containsExactly(Map.entry("ipam.spidernet.io/ippool-cidr", label));
    assertThat(m.finalizer()).isEqualTo("spiderpool.spidernet.io");
    assertThat(m.subnet()).isNull();
  }

  @Test
  void subnetGetsItsOwnLabel() {
    Mutation m =
        Mutator.mutate(
            AdmissionObject.of(
                AdmissionKind.SUBNET, "s", AddressSpec.of("172.100.0.0/16", null, null)));
    assertThat(m.labels())
        .containsExactly(Map.entry("ipam.spidernet.io/subnet-cidr", "172-100-0-0-16"));
    assertThat(m.finalizer()).isEqualTo("spiderpool.spidernet.io");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.0/24 | 10.0.0.20;10.0.0.10-10.0.0.19;10.0.0.5 | 10.0.0.5;10.0.0.10-10.0.0.20",
        "fd00::/64   | fd00::0010-fd00::20;fd00::15;fd00::1   | fd00::1;fd00::10-fd00::20",
      })
  void rangesAreMergedSortedAndSpelledCanonically(String subnet, String ips, String merged) {
    Mutation m =
        Mutator.mutate(
            pool(AddressSpec.of(subnet, List.of(ips.split(";")), List.of(ips.split(";")))));
    assertThat(m.ips()).containsExactly(merged.split(";"));
    assertThat(m.excludeIps()).containsExactly(merged.split(";"));
  }

  @Test
  void anObjectAlreadyInShapeIsLeftAlone() {
    AdmissionObject o =
        pool(new AddressSpec(
                4L,
                "10.0.0.0/24",
                List.of("10.0.0.5", "10.0.0.10-10.0.0.20"),
                List.of(),
                null,
                null,
                false))
            .withMetadata(
                Map.of("ipam.spidernet.io/ippool-cidr", "10-0-0-0-24"),
                List.of("spiderpool.spidernet.io"),
                false);
    assertThat(Mutator.mutate(o)).isEqualTo(Mutation.NONE);
  }

  @Test
  void subnetSpellingIsCanonicalisedButHostBitsAreLeftToValidation() {
    assertThat(Mutator.mutate(pool(AddressSpec.of("FD00:0::/64", null, null))).subnet())
        .isEqualTo("fd00::/64");
    Mutation hostBits = Mutator.mutate(pool(AddressSpec.of("10.0.0.1/24", null, null)));
    assertThat(hostBits.subnet()).isNull();
    assertThat(hostBits.labels()).isEmpty();
    assertThat(hostBits.ipVersion()).as("still derived, as Spiderpool does").isEqualTo(4L);
  }

  @Test
  void unparseableInputIsLeftForValidationToReject() {
    Mutation m = Mutator.mutate(pool(AddressSpec.of("not-a-cidr", List.of("10.0.0.1", "x"), null)));
    assertThat(m.ipVersion()).isNull();
    assertThat(m.ips()).isNull();
    assertThat(m.finalizer()).isEqualTo("spiderpool.spidernet.io");
    Mutation wrongFamily =
        Mutator.mutate(pool(AddressSpec.of("10.0.0.0/24", List.of("fd00::1"), null)));
    assertThat(wrongFamily.ips()).isNull();
  }

  @Test
  void aTerminatingObjectIsNotMutated() {
    AdmissionObject o =
        pool(AddressSpec.of("10.0.0.0/24", null, null)).withMetadata(Map.of(), List.of(), true);
    assertThat(Mutator.mutate(o)).isEqualTo(Mutation.NONE);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.9;10.0.0.1-10.0.0.8 | 4 | 10.0.0.1-10.0.0.9",
        "fd00::9;fd00::1            | 6 | fd00::1;fd00::9",
      })
  void reservedIpVersionComesFromTheFirstEntry(String ips, long version, String merged) {
    Mutation m =
        Mutator.mutate(
            AdmissionObject.of(
                AdmissionKind.RESERVED_IP,
                "r",
                AddressSpec.of(null, List.of(ips.split(";")), null)));
    assertThat(m.ipVersion()).isEqualTo(version);
    assertThat(m.ips()).containsExactly(merged.split(";"));
    assertThat(m.finalizer()).as("reserved IPs carry no finalizer").isNull();
    assertThat(m.labels()).isEmpty();
  }
}
