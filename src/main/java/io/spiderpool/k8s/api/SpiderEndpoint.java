// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The addresses held by one Pod (or KubeVirt VMI), named after it, in its namespace.
 *
 * <p>There is no spec; the record lives in {@link SpiderEndpointStatus} and, as in Spiderpool,
 * writers update the <em>whole object</em>: the CRD has no {@code /status} subresource.
 */
@Group(SpiderpoolApi.GROUP)
@Version(SpiderpoolApi.VERSION)
@Kind("SpiderEndpoint")
@Plural("spiderendpoints")
@Singular("spiderendpoint")
@ShortNames("se")
@Categories(SpiderpoolApi.CATEGORY)
@NoStatusSubresource
@AdditionalPrinterColumn(
    name = "INTERFACE",
    jsonPath = ".status.current.ips[0].interface",
    type = Type.STRING,
    getDescription = "interface")
@AdditionalPrinterColumn(
    name = "IPV4POOL",
    jsonPath = ".status.current.ips[0].ipv4Pool",
    type = Type.STRING,
    getDescription = "ipv4Pool")
@AdditionalPrinterColumn(
    name = "IPV4",
    jsonPath = ".status.current.ips[0].ipv4",
    type = Type.STRING,
    getDescription = "ipv4")
@AdditionalPrinterColumn(
    name = "IPV6POOL",
    jsonPath = ".status.current.ips[0].ipv6Pool",
    type = Type.STRING,
    getDescription = "ipv6Pool")
@AdditionalPrinterColumn(
    name = "IPV6",
    jsonPath = ".status.current.ips[0].ipv6",
    type = Type.STRING,
    getDescription = "ipv6")
@AdditionalPrinterColumn(
    name = "NODE",
    jsonPath = ".status.current.node",
    type = Type.STRING,
    getDescription = "node")
public class SpiderEndpoint extends CustomResource<Void, SpiderEndpointStatus>
    implements Namespaced {
  private static final long serialVersionUID = 1L;
}
