// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.pool;

import io.spiderpool.core.annotation.IpPoolAnnotation;
import io.spiderpool.core.annotation.IpPoolsAnnotation;
import io.spiderpool.core.annotation.IpamAnnotations;
import io.spiderpool.core.annotation.NamespaceDefaultPools;
import io.spiderpool.core.annotation.NicPools;
import io.spiderpool.core.annotation.PoolNames;
import io.spiderpool.core.annotation.SubnetItem;
import io.spiderpool.core.config.ClusterConfig;
import io.spiderpool.core.error.NoPoolAvailableException;
import io.spiderpool.core.net.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Step 1 of selection: the first source present wins, in Spiderpool's strict priority. Only that
 * source's annotation is parsed. Wildcards are expanded here.
 */
final class CandidateSources {
  private CandidateSources() {}

  static RawCandidates gather(SelectionRequest r, PoolCatalog catalog) {
    Optional<SubnetItem> subnet = SubnetSource.route(r);
    if (subnet.isPresent()) {
      return SubnetSource.candidates(r, subnet.get());
    }
    Map<String, String> pod = r.podAnnotations();
    String ippools = pod.get(IpamAnnotations.POD_IPPOOLS);
    if (ippools != null) {
      return fromIpPools(r, catalog, IpPoolsAnnotation.parse(ippools));
    }
    String ippool = pod.get(IpamAnnotations.POD_IPPOOL);
    if (ippool != null) {
      return single(r, catalog, CandidateSource.IPPOOL_ANNOTATION, IpPoolAnnotation.parse(ippool));
    }
    PoolNames ns = NamespaceDefaultPools.parse(r.namespaceAnnotations());
    if (!ns.isEmpty()) {
      return single(r, catalog, CandidateSource.NAMESPACE_ANNOTATION, ns);
    }
    if (!r.cniDefaultPools().isEmpty()) {
      return single(r, catalog, CandidateSource.CNI_CONFIG, r.cniDefaultPools());
    }
    ClusterConfig c = r.cluster();
    PoolNames legacy = new PoolNames(c.legacyDefaultIpv4Pools(), c.legacyDefaultIpv6Pools());
    if (!legacy.isEmpty()) {
      return single(r, catalog, CandidateSource.LEGACY_CLUSTER_DEFAULT, legacy);
    }
    return clusterDefaults(r, catalog);
  }

  private static RawCandidates single(
      SelectionRequest r, PoolCatalog catalog, CandidateSource source, PoolNames names) {
    return RawCandidates.single(
        source, r.nic(), r.cniCleanGateway(), WildcardExpander.expand(names, catalog, source));
  }

  private static RawCandidates fromIpPools(
      SelectionRequest r, PoolCatalog catalog, IpPoolsAnnotation annotation) {
    annotation.requireNic(r.nic());
    List<RawCandidates.Nic> nics = new ArrayList<>();
    for (NicPools item : annotation.items()) {
      PoolNames names =
          WildcardExpander.expand(item.pools(), catalog, CandidateSource.IPPOOLS_ANNOTATION);
      nics.add(new RawCandidates.Nic(item.nic(), item.cleanGateway(), names));
    }
    return new RawCandidates(CandidateSource.IPPOOLS_ANNOTATION, annotation.named(), nics);
  }

  private static RawCandidates clusterDefaults(SelectionRequest r, PoolCatalog catalog) {
    if (catalog.defaults().isEmpty()) {
      throw new NoPoolAvailableException(
          "no IPPool available, no pool selection rules of any"
              + " type are specified: annotate the Pod or Namespace, set default_ipv4_ippool /"
              + " default_ipv6_ippool in the CNI config, or mark an IPPool spec.default: true");
    }
    List<String> v4 = new ArrayList<>();
    List<String> v6 = new ArrayList<>();
    for (PoolView p : catalog.defaults()) {
      if (p.family() == IpFamily.V4) {
        v4.add(p.name());
      } else if (p.family() == IpFamily.V6) {
        v6.add(p.name());
      }
    }
    return RawCandidates.single(
        CandidateSource.CLUSTER_DEFAULT_POOLS, r.nic(), r.cniCleanGateway(), new PoolNames(v4, v6));
  }
}
