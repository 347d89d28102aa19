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
 * Addresses that no pool may hand out (and no Subnet may carve out), whatever pool they fall in.
 * Cluster-scoped, no status.
 */
@Group(SpiderpoolApi.GROUP)
@Version(SpiderpoolApi.VERSION)
@Kind("SpiderReservedIP")
@Plural("spiderreservedips")
@Singular("spiderreservedip")
@ShortNames("sr")
@Categories(SpiderpoolApi.CATEGORY)
@AdditionalPrinterColumn(
    name = "VERSION",
    jsonPath = ".spec.ipVersion",
    type = Type.STRING,
    getDescription = "ipVersion")
public class SpiderReservedIP extends CustomResource<SpiderReservedIPSpec, Void> {
  private static final long serialVersionUID = 1L;
}
