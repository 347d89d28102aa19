// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.controller.subnet;

import static io.spiderpool.controller.subnet.SubnetFixture.controllerRef;
import static io.spiderpool.controller.subnet.SubnetFixture.ips;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.spiderpool.controller.ControllerRole;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.gc.GcSettings;
import io.spiderpool.core.net.IpFamily;
import io.spiderpool.core.port.IpamMetrics;
import io.spiderpool.core.range.RangeSet;
import io.spiderpool.core.subnet.AutoPoolLabels;
import io.spiderpool.core.subnet.AutoPoolName;
import io.spiderpool.core.subnet.AutoPoolWait;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.store.KubernetesIpam;
import io.spiderpool.service.ipam.AddResult;
import io.spiderpool.service.ipam.EngineSettings;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reclaim (docs/subnet.md#third-party-controllers): {@code ippool-reclaim: true} pools go with
 * their application, are held by their finalizer until every address is released, and leave the
 * subnet's record; {@code false} pools stay and a re-created application of the same kind,
 * namespace and name inherits them; an application deleted while no daemon held the role is caught
 * at the next term; a third-party controller's pool is made on the ADD path and reclaimed when its
 * owner goes.
 */
@ExtendWith(ControlPlaneExtension.class)
class AutoPoolReclaimIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ResourceDefinitionContext WIDGETS =
      new ResourceDefinitionContext.Builder()
          .withGroup("example.io")
          .withVersion("v1")
          .withKind("Widget")
          .withPlural("widgets")
          .withNamespaced(true)
          .build();
  private static KubernetesClient admin;
  private static SubnetFixture fx;
  private static KubernetesIpam agent;
  private ControllerRole role;

  @BeforeAll
  static void fixture(LocalControlPlane cp) {
    admin = cp.client();
    fx = new SubnetFixture(admin, "subnet-reclaim-it");
    agent =
        new KubernetesIpam(
            admin,
            EngineSettings.defaults(ClusterConfig.DEFAULTS),
            IpamMetrics.NOOP,
            new AutoPoolWait(Duration.ofSeconds(1), 30));
  }

  @AfterAll
  static void cleanup() {
    fx.close();
    agent.close();
    admin.resource(widgetCrd()).delete();
  }

  @BeforeEach
  void startRole() {
    role = new ControllerRole(admin, ClusterConfig.DEFAULTS, GcSettings.DEFAULTS, () -> true);
    role.start();
  }

  @AfterEach
  void stopRole() {
    role.stop();
  }

  private static Map<String, String> annotations(String subnet, String reclaim) {
    return reclaim == null
        ? Map.of("ipam.spidernet.io/subnet", "{\"ipv4\":[\"" + subnet + "\"]}")
        : Map.of(
            "ipam.spidernet.io/subnet",
            "{\"ipv4\":[\"" + subnet + "\"]}",
            "ipam.spidernet.io/ippool-reclaim",
            reclaim);
  }

  private static SpiderIPPool awaitPool(String app, int size) {
    await(app + " pool of " + size)
        .atMost(WAIT)
        .until(
            () ->
                fx.poolOf("Deployment", app, "eth0", IpFamily.V4)
                    .map(
                        p ->
                            ips(p).sizeCapped() == size
                                && p.getMetadata().getDeletionTimestamp() == null)
                    .orElse(false));
    return fx.poolOf("Deployment", app, "eth0", IpFamily.V4).orElseThrow();
  }

  private static SpiderIPPool pool(String name) {
    return admin.resources(SpiderIPPool.class).withName(name).get();
  }

  @Test
  void aReclaimablePoolGoesWithItsApplicationOnceItsAddressesAreReleased() {
    fx.subnet("reclaim-true", "10.83.1.0/24", List.of("10.83.1.10-10.83.1.50"), null, null);
    Deployment d = fx.deployment("gone", 1, annotations("reclaim-true", null));
    ReplicaSet rs =
        fx.replicaSet("gone-5d", 1, annotations("reclaim-true", null), controllerRef(d));
    Pod p = fx.pod("gone-5d-a", controllerRef(rs), annotations("reclaim-true", null));
    String name = awaitPool("gone", 2).getMetadata().getName();
    fx.add(agent.engine(), p, "eth0");

    admin.apps().deployments().inNamespace(fx.ns).withName("gone").delete();
    await("deleted while its address is allocated")
        .atMost(WAIT)
        .until(() -> pool(name) != null && pool(name).getMetadata().getDeletionTimestamp() != null);
    assertThat(fx.controlled("reclaim-true").get(name))
        .as("still carved while it exists")
        .isPresent();
    fx.deletePodAndRelease(agent.engine(), p);
    await("gone once released").atMost(WAIT).until(() -> pool(name) == null);
    await("no longer controlled")
        .atMost(WAIT)
        .until(() -> fx.controlled("reclaim-true").entries().isEmpty());
    assertThat(fx.subnetNow("reclaim-true").getStatus().getAllocatedIPCount()).isZero();
  }

  @Test
  void aKeptPoolIsInheritedByTheNextApplicationOfTheSameName() {
    fx.subnet("reclaim-false", "10.83.2.0/24", List.of("10.83.2.10-10.83.2.50"), null, null);
    Deployment first = fx.deployment("kept", 2, annotations("reclaim-false", "false"));
    SpiderIPPool pool = awaitPool("kept", 3);
    RangeSet addresses = ips(pool);
    assertThat(pool.getMetadata().getLabels()).containsEntry(AutoPoolLabels.RECLAIM, "false");

    admin.apps().deployments().inNamespace(fx.ns).withName("kept").delete();
    await("the pool stays")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                pool(pool.getMetadata().getName()) != null
                    && pool(pool.getMetadata().getName()).getMetadata().getDeletionTimestamp()
                        == null);
    await()
        .atMost(WAIT)
        .until(() -> admin.apps().deployments().inNamespace(fx.ns).withName("kept").get() == null);

    Deployment second = fx.deployment("kept", 2, annotations("reclaim-false", "false"));
    assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
    await("inherited: the new UID on the same pool")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              SpiderIPPool now = pool(pool.getMetadata().getName());
              assertThat(now.getMetadata().getLabels())
                  .containsEntry(AutoPoolLabels.OWNER_UID, second.getMetadata().getUid());
              assertThat(ips(now)).isEqualTo(addresses);
            });
    assertThat(fx.poolsOf("Deployment", "kept")).hasSize(1);
  }

  @Test
  void aReclaimableApplicationReCreatedUnderTheSameNameGetsAPoolOfItsOwn() {
    fx.subnet("reclaim-renew", "10.83.3.0/24", List.of("10.83.3.10-10.83.3.50"), null, null);
    fx.deployment("renew", 1, annotations("reclaim-renew", null));
    String old = awaitPool("renew", 2).getMetadata().getName();
    admin.apps().deployments().inNamespace(fx.ns).withName("renew").delete();
    await()
        .atMost(WAIT)
        .until(() -> admin.apps().deployments().inNamespace(fx.ns).withName("renew").get() == null);
    Deployment again = fx.deployment("renew", 1, annotations("reclaim-renew", null));
    String fresh = AutoPoolName.of("renew", IpFamily.V4, "eth0", again.getMetadata().getUid());
    await().atMost(WAIT).until(() -> pool(fresh) != null && pool(old) == null);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(fx.controlled("reclaim-renew").entries()).containsOnlyKeys(fresh));
  }

  @Test
  void anApplicationDeletedWhileNoDaemonHeldTheRoleIsReclaimedWhenATermStarts() {
    fx.subnet("reclaim-late", "10.83.4.0/24", List.of("10.83.4.10-10.83.4.50"), null, null);
    fx.deployment("late", 1, annotations("reclaim-late", null));
    String name = awaitPool("late", 2).getMetadata().getName();
    role.stop();
    admin.apps().deployments().inNamespace(fx.ns).withName("late").delete();
    await()
        .atMost(WAIT)
        .until(() -> admin.apps().deployments().inNamespace(fx.ns).withName("late").get() == null);
    assertThat(pool(name)).as("nobody reclaims while no daemon holds the role").isNotNull();
    role.start();
    await("reclaimed by the new term").atMost(WAIT).until(() -> pool(name) == null);
  }

  static CustomResourceDefinition widgetCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("widgets.example.io")
        .endMetadata()
        .withNewSpec()
        .withGroup("example.io")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("Widget")
        .withPlural("widgets")
        .withSingular("widget")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }

  @Test
  void aThirdPartyControllersPoolIsMadeOnTheAddPathAndReclaimedWithItsOwner() {
    fx.subnet("third", "10.83.5.0/24", List.of("10.83.5.10-10.83.5.50"), null, null);
    admin.resource(widgetCrd()).serverSideApply();
    await("Widget CRD served")
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> admin.genericKubernetesResources(WIDGETS).inNamespace(fx.ns).list() != null);
    GenericKubernetesResource w =
        admin
            .genericKubernetesResources(WIDGETS)
            .inNamespace(fx.ns)
            .resource(
                new GenericKubernetesResourceBuilder()
                    .withApiVersion("example.io/v1")
                    .withKind("Widget")
                    .withNewMetadata()
                    .withName("gizmo")
                    .withNamespace(fx.ns)
                    .endMetadata()
                    .build())
            .create();
    OwnerReference owner = controllerRef(w);
    Map<String, String> fixed =
        Map.of(
            "ipam.spidernet.io/subnet",
            "{\"ipv4\":[\"third\"]}",
            "ipam.spidernet.io/ippool-ip-number",
            "2");
    Pod p = fx.pod("gizmo-0", owner, fixed);

    AddResult r = fx.add(agent.engine(), p, "eth0");

    String name = AutoPoolName.of("gizmo", IpFamily.V4, "eth0", w.getMetadata().getUid());
    assertThat(r.ips().get(0).ipPool()).isEqualTo(name);
    SpiderIPPool made = pool(name);
    assertThat(ips(made).sizeCapped()).as("the fixed size").isEqualTo(2);
    assertThat(made.getMetadata().getLabels())
        .containsEntry(AutoPoolLabels.OWNER_GV, "example.io_v1")
        .containsEntry(AutoPoolLabels.OWNER_KIND, "Widget")
        .containsEntry(AutoPoolLabels.OWNER_NAME, "gizmo");
    assertThat(fx.controlled("third").get(name).orElseThrow().application())
        .isEqualTo("example.io_v1_Widget_subnet-reclaim-it_gizmo");

    Pod flexible =
        fx.pod("doohickey-0", owner, Map.of("ipam.spidernet.io/subnet", "{\"ipv4\":[\"third\"]}"));
    assertThatThrownBy(() -> fx.add(agent.engine(), flexible, "eth0"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "only supports fixed auto-created IPPool IP Number for third-party controller"
                + " Widget subnet-reclaim-it/gizmo: set ipam.spidernet.io/ippool-ip-number to a number");

    fx.deletePodAndRelease(agent.engine(), p);
    admin.genericKubernetesResources(WIDGETS).inNamespace(fx.ns).withName("gizmo").delete();
    await("reclaimed with its owner").atMost(WAIT).until(() -> pool(name) == null);
    await().atMost(WAIT).until(() -> fx.controlled("third").entries().isEmpty());
  }
}
