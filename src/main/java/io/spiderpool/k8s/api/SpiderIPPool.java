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
 * A pool of addresses of one family inside one subnet, with the rules that decide which Pods may
 * use it. Cluster-scoped; the agent records allocations in {@link SpiderIPPoolStatus}.
 *
 * <p>Printer columns are declared in Spiderpool's order; the CRD post-processor keeps that order
 * (fabric8 would sort them by JSON path).
 */
@Group(SpiderpoolApi.GROUP)
@Version(SpiderpoolApi.VERSION)
@Kind("SpiderIPPool")
@Plural("spiderippools")
@Singular("spiderippool")
@ShortNames("sp")
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
@AdditionalPrinterColumn(
    name = "DEFAULT",
    jsonPath = ".spec.default",
    type = Type.BOOLEAN,
    getDescription = "default")
@AdditionalPrinterColumn(
    name = "DISABLE",
    jsonPath = ".spec.disable",
    type = Type.BOOLEAN,
    priority = 10,
    getDescription = "disable")
@AdditionalPrinterColumn(
    name = "NodeName",
    jsonPath = ".spec.nodeName",
    type = Type.STRING,
    priority = 10,
    getDescription = "nodeName")
@AdditionalPrinterColumn(
    name = "MultusName",
    jsonPath = ".spec.multusName",
    type = Type.STRING,
    priority = 10,
    getDescription = "multusName")
@AdditionalPrinterColumn(
    name = "APP-NAMESPACE",
    jsonPath = ".spec.podAffinity.matchLabels['ipam\\.spidernet\\.io/app\\-namespace']",
    type = Type.STRING,
    priority = 10,
    getDescription = "AppNamespace")
public class SpiderIPPool extends CustomResource<SpiderIPPoolSpec, SpiderIPPoolStatus> {
  private static final long serialVersionUID = 1L;
}
