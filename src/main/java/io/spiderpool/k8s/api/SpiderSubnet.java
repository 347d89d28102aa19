// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A subnet from which the controller carves addresses for IPPools (the Subnet feature).
 * Cluster-scoped; {@link SpiderSubnetStatus} records which pools hold which addresses.
 */
@Group(SpiderpoolApi.GROUP)
@Version(SpiderpoolApi.VERSION)
@Kind("SpiderSubnet")
@Plural("spidersubnets")
@Singular("spidersubnet")
@ShortNames("ss")
@Categories(SpiderpoolApi.CATEGORY)
@AdditionalPrinterColumn(
    name = "VERSION",
    jsonPath = ".spec.ipVersion",
    type = Type.STRING,
    getDescription = "ipVersion")
@AdditionalPrinterColumn(
    name = "SUBNET",
    jsonPath = ".spec.subnet",
    type = Type.STRING,
    getDescription = "subnet")
@AdditionalPrinterColumn(
    name = "ALLOCATED-IP-COUNT",
    jsonPath = ".status.allocatedIPCount",
    type = Type.INTEGER,
    getDescription = "allocatedIPCount")
@AdditionalPrinterColumn(
    name = "TOTAL-IP-COUNT",
    jsonPath = ".status.totalIPCount",
    type = Type.INTEGER,
    getDescription = "totalIPCount")
public class SpiderSubnet extends CustomResource<SpiderSubnetSpec, SpiderSubnetStatus> {
  private static final long serialVersionUID = 1L;
}
