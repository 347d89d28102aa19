// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.spiderpool.k8s.cache.TrimmingItemStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node's Pod cache keeps a trimmed Pod: everything an ADD reads, and nothing else. */
class KubernetesPodDirectoryTest {

  private static FieldsV1 fields() {
    FieldsV1 f = new FieldsV1();
    f.setAdditionalProperty("f:status", Map.of("f:phase", Map.of()));
    return f;
  }

  private static Pod fullPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("team-a")
        .withName("web-5d8f-abcde")
        .withUid("uid-1")
        .withResourceVersion("4711")
        .withDeletionTimestamp("2026-12-03T12:00:00Z")
        .withLabels(Map.of("app", "web"))
        .withAnnotations(Map.of("ipam.spidernet.io/ippool", "{\"interface\":\"eth0\"}"))
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName("web-5d8f")
        .withUid("rs-uid")
        .withController(true)
        .endOwnerReference()
        .addNewManagedField()
        .withManager("kubelet")
        .withOperation("Update")
        .withFieldsType("FieldsV1")
        .withFieldsV1(fields())
        .endManagedField()
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-1")
        .withRestartPolicy("Always")
        .addNewContainer()
        .withName("main")
        .withImage("registry.invalid/web:1")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("100m")))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Failed")
        .withReason("Evicted")
        .withPodIP("10.0.0.7")
        .addNewCondition()
        .withType("Ready")
        .withStatus("False")
        .endCondition()
        .endStatus()
        .build();
  }

  @Test
  void aTrimmedPodGivesTheSameInfoAsTheFullOne() {
    Pod full = fullPod();
    Pod trimmed = KubernetesPodDirectory.trimmed(full);

    assertThat(KubernetesPodDirectory.info(trimmed)).isEqualTo(KubernetesPodDirectory.info(full));
    assertThat(KubernetesPodDirectory.info(trimmed).terminating()).isTrue();
    assertThat(KubernetesPodDirectory.info(trimmed).owners()).hasSize(1);
  }

  @Test
  void theTrimKeepsTheInformersKeysAndDropsTheRest() {
    Pod full = fullPod();
    Pod trimmed = KubernetesPodDirectory.trimmed(full);

    assertThat(trimmed.getMetadata().getResourceVersion()).isEqualTo("4711");
    assertThat(trimmed.getMetadata().getUid()).isEqualTo("uid-1");
    assertThat(trimmed.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(trimmed.getSpec().getContainers()).isNullOrEmpty();
    assertThat(trimmed.getStatus().getConditions()).isNullOrEmpty();
    assertThat(trimmed.getStatus().getPodIP()).isNull();
    // the informer may still hand the full Pod to a handler: it is left as it was
    assertThat(full.getMetadata().getManagedFields()).hasSize(1);
    assertThat(full.getSpec().getContainers()).hasSize(1);
  }

  @Test
  void aPodWithoutStatusOrManagedFieldsIsTrimmedToo() {
    Pod bare =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName("p")
            .withUid("u")
            .endMetadata()
            .withNewSpec()
            .withNodeName("n")
            .endSpec()
            .build();
    Pod trimmed = KubernetesPodDirectory.trimmed(bare);

    assertThat(trimmed.getStatus()).isNull();
    assertThat(KubernetesPodDirectory.info(trimmed)).isEqualTo(KubernetesPodDirectory.info(bare));
  }

  @Test
  void aNamespaceKeepsItsLabelsAndAnnotationsOnly() {
    Namespace full =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName("team-a")
            .withResourceVersion("9")
            .withLabels(Map.of("team", "a"))
            .withAnnotations(Map.of("ipam.spidernet.io/defaultv4ippool", "[\"p\"]"))
            .addNewManagedField()
            .withManager("kubectl")
            .endManagedField()
            .endMetadata()
            .withNewSpec()
            .withFinalizers("kubernetes")
            .endSpec()
            .build();
    Namespace kept = KubernetesPodDirectory.labeledOnly(new Namespace(), full);

    assertThat(kept.getMetadata().getLabels()).isEqualTo(Map.of("team", "a"));
    assertThat(kept.getMetadata().getAnnotations()).isEqualTo(full.getMetadata().getAnnotations());
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("9");
    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(kept.getSpec()).isNull();
    assertThat(TrimmingItemStore.withoutManagedFields(full.getMetadata()).getName())
        .isEqualTo("team-a");
  }
}
