// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.spiderpool.testing.k8s.ControlPlaneExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRDs carry the structural validation Spiderpool's have: a real API server rejects
 * objects that break the schema, with a message naming the field.
 */
@ExtendWith(ControlPlaneExtension.class)
class CrdSchemaIT {

  static List<Arguments> invalidObjects() {
    return List.of(
        Arguments.of(
            "ipVersion outside the enum",
            """
            apiVersion: spiderpool.spidernet.io/v2beta1
            kind: SpiderIPPool
            metadata: {name: bad-version}
            spec: {ipVersion: 5, subnet: 10.0.0.0/24}
            """,
            "spec.ipVersion"),
        Arguments.of(
            "pool without the required subnet",
            """
            apiVersion: spiderpool.spidernet.io/v2beta1
            kind: SpiderIPPool
            metadata: {name: no-subnet}
            spec: {ips: [10.0.0.1]}
            """,
            "spec.subnet"),
        Arguments.of(
            "route without gw",
            """
            apiVersion: spiderpool.spidernet.io/v2beta1
            kind: SpiderIPPool
            metadata: {name: bad-route}
            spec: {subnet: 10.0.0.0/24, routes: [{dst: 10.1.0.0/16}]}
            """,
            "spec.routes[0].gw"),
        Arguments.of(
            "subnet without the required subnet",
            """
            apiVersion: spiderpool.spidernet.io/v2beta1
            kind: SpiderSubnet
            metadata: {name: no-subnet}
            spec: {ipVersion: 4}
            """,
            "spec.subnet"),
        Arguments.of(
            "reserved IP with ipVersion 7",
            """
            apiVersion: spiderpool.spidernet.io/v2beta1
            kind: SpiderReservedIP
            metadata: {name: bad-version}
            spec: {ipVersion: 7, ips: [10.0.0.1]}
            """,
            "spec.ipVersion"),
        Arguments.of(
            "endpoint vlan above 4094",
            """
            apiVersion: spiderpool.spidernet.io/v2beta1
            kind: SpiderEndpoint
            metadata: {name: bad-vlan, namespace: default}
            status:
              current:
                uid: u1
                node: n1
                ips: [{interface: eth0, vlan: 5000}]
              ownerControllerType: Pod
              ownerControllerName: bad-vlan
            """,
            "vlan"),
        Arguments.of(
            "endpoint without its current record",
            """
            apiVersion: spiderpool.spidernet.io/v2beta1
            kind: SpiderEndpoint
            metadata: {name: no-current, namespace: default}
            status: {ownerControllerType: Pod, ownerControllerName: no-current}
            """,
            "status.current"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidObjects")
  void serverRejectsWhatTheSchemaForbids(
      String why, String yaml, String field, KubernetesClient client) {
    GenericKubernetesResource o = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    KubernetesClientException e =
        catchThrowableOfType(KubernetesClientException.class, () -> client.resource(o).create());
    assertThat(e).as(why + " must be rejected").isNotNull();
    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getMessage()).contains(field);
  }

  @Test
  void allFourKindsAreServedWithSpiderpoolsNames(KubernetesClient client) {
    var resources = client.getApiResources("spiderpool.spidernet.io/v2beta1").getResources();
    assertThat(resources)
        .extracting(r -> r.getName() + ":" + r.getNamespaced() + ":" + r.getShortNames())
        .contains(
            "spiderippools:false:[sp]",
            "spidersubnets:false:[ss]",
            "spiderendpoints:true:[se]",
            "spiderreservedips:false:[sr]",
            "spiderippools/status:false:[]",
            "spidersubnets/status:false:[]");
    assertThat(resources).extracting(r -> r.getName()).doesNotContain("spiderendpoints/status");
  }
}
