// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.subnet;

import static io.spiderpool.core.subnet.AutoPoolPlanTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.spiderpool.core.net.IpFamily;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The subnet controller's bookkeeping of controlledIPPools, in both families. */
class SubnetBookTest {
  private static final String APP = "apps_v1_Deployment_ns_web";

  @ParameterizedTest
  @EnumSource(IpFamily.class)
  void aManualPoolIsRecordedWithItsAddressesInsideTheSubnet(IpFamily f) {
    ControlledPools next =
        SubnetBook.recompute(
            ControlledPools.empty(),
            set(f, "10-20"),
            List.of(new SubnetBook.Child("manual", null, set(f, "18-25"))),
            Set.of());
    assertThat(next.get("manual").orElseThrow().ips(f)).isEqualTo(set(f, "18-20"));
    assertThat(next.get("manual").orElseThrow().application()).isNull();
  }

  @ParameterizedTest
  @EnumSource(IpFamily.class)
  void anAutoPoolsRecordIsTheResizesAndLeftAlone(IpFamily f) {
    ControlledPools current =
        ControlledPools.empty()
            .with(
                "auto",
                new ControlledPools.Entry(
                    set(f, "10-12").toStrings(), APP, set(f, "13").toStrings()));
    ControlledPools next =
        SubnetBook.recompute(
            current,
            set(f, "10-20"),
            List.of(new SubnetBook.Child("auto", APP, set(f, "10-13"))),
            Set.of());
    assertThat(next).isEqualTo(current);
  }

  @ParameterizedTest
  @EnumSource(IpFamily.class)
  void anAutoPoolWithoutARecordGetsOneOfItsFreeAddresses(IpFamily f) {
    ControlledPools current =
        ControlledPools.empty().with("other", ControlledPools.Entry.of(set(f, "12"), "x"));
    ControlledPools next =
        SubnetBook.recompute(
            current,
            set(f, "10-20"),
            List.of(new SubnetBook.Child("auto", APP, set(f, "10-12"))),
            Set.of());
    assertThat(next.get("auto").orElseThrow().ips(f))
        .as("never what another pool holds")
        .isEqualTo(set(f, "10-11"));
    assertThat(next.get("auto").orElseThrow().application()).isEqualTo(APP);
  }

  @ParameterizedTest
  @EnumSource(IpFamily.class)
  void recordsOfGonePoolsAreOrphansAndDroppedOnlyWhenConfirmed(IpFamily f) {
    ControlledPools current =
        ControlledPools.empty()
            .with("gone-manual", ControlledPools.Entry.of(set(f, "10"), null))
            .with("being-made", ControlledPools.Entry.of(set(f, "11"), APP))
            .with("kept", ControlledPools.Entry.of(set(f, "12"), null));
    List<SubnetBook.Child> children = List.of(new SubnetBook.Child("kept", null, set(f, "12")));
    assertThat(SubnetBook.orphans(current, children)).containsExactly("being-made", "gone-manual");
    ControlledPools next =
        SubnetBook.recompute(current, set(f, "10-20"), children, Set.of("gone-manual"));
    assertThat(next.entries()).containsOnlyKeys("being-made", "kept");
  }
}
