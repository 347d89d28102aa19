// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.spiderpool.k8s.api.SpiderIPPool;
import io.spiderpool.k8s.api.SpiderpoolApi;
import io.spiderpool.testing.cluster.Helm;
import io.spiderpool.testing.e2e.ClusterFixtures;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import io.spiderpool.testing.k8s.LocalControlPlane;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's RBAC on a real API server with RBAC authorization: the rendered ClusterRoles, Roles
 * and bindings are applied, and the writes the daemons make are sent as the daemons' service
 * account (impersonated), so a verb the code needs and the chart does not grant fails here with 403
 * — the cluster tests only see the paths their workloads take.
 */
@ExtendWith(ControlPlaneExtension.class)
class ChartRbacIT {
  private static final Set<String> RBAC_KINDS =
      Set.of("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

  private static KubernetesClient admin;
  private static KubernetesClient agent;

  @BeforeAll
  static void apply(LocalControlPlane cp) {
    admin = cp.client();
    for (JsonNode doc : Helm.template()) {
      if (RBAC_KINDS.contains(doc.path("kind").asText())) {
        HasMetadata object = Serialization.unmarshal(doc.toString());
        admin.resource(object).createOr(existing -> existing.update());
      }
    }
    Config config =
        new ConfigBuilder(admin.getConfiguration())
            .withImpersonateUsername("system:serviceaccount:kube-system:spiderpool-agent")
            .withImpersonateGroups(
                "system:serviceaccounts",
                "system:serviceaccounts:kube-system",
                "system:authenticated")
            .build();
    agent = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void close() {
    if (agent != null) {
      agent.close();
    }
  }

  private static SpiderIPPool pool(String name, String subnet, String ips) {
    return admin.resource(ClusterFixtures.poolOf(name, 4, subnet, List.of(ips), null)).create();
  }

  @Test
  void theControllerRoleInTheDaemonsMayAcknowledgeAnOperatorsGcRequest() {
    pool("rbac-gc", "10.79.0.0/24", "10.79.0.1-10.79.0.4");
    admin
        .resources(SpiderIPPool.class)
        .withName("rbac-gc")
        .edit(
            p -> {
              p.getMetadata().getAnnotations().put(SpiderpoolApi.GC_REQUESTED, "token-1");
              return p;
            });
    // the request PoolReconciler.acknowledgeRequest sends once the pool has been collected
    agent
        .resources(SpiderIPPool.class)
        .withName("rbac-gc")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + SpiderpoolApi.GC_DONE + "\":\"token-1\"}}}");

    assertThat(
            admin
                .resources(SpiderIPPool.class)
                .withName("rbac-gc")
                .get()
                .getMetadata()
                .getAnnotations())
        .containsEntry(SpiderpoolApi.GC_DONE, "token-1");
  }

  @Test
  void theAgentMayWritePoolRecordsAndNothingUngrantedPasses() {
    SpiderIPPool created = pool("rbac-records", "10.79.1.0/24", "10.79.1.1-10.79.1.4");
    // the records' compare-and-set (PoolStatusPatch): a merge patch of status at a version
    agent
        .resources(SpiderIPPool.class)
        .withName("rbac-records")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"resourceVersion\":\""
                + created.getMetadata().getResourceVersion()
                + "\"},\"status\":{\"allocatedIPCount\":0}}");
    // the check above can fail: a verb the chart does not grant is refused
    assertThat(
            agent
                .authorization()
                .v1()
                .selfSubjectAccessReview()
                .create(
                    new SelfSubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withNewResourceAttributes()
                        .withGroup("spiderpool.spidernet.io")
                        .withResource("spiderippools")
                        .withVerb("deletecollection")
                        .endResourceAttributes()
                        .endSpec()
                        .build())
                .getStatus()
                .getAllowed())
        .isFalse();
  }
}
