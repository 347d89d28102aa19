// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** Names shared by every Spiderpool resource: API group, version, category and finalizer. */
public final class SpiderpoolApi {

  /** API group of all Spiderpool resources. */
  public static final String GROUP = "spiderpool.spidernet.io";

  /** The only served (and storage) version; Spiderpool removed {@code v1}. */
  public static final String VERSION = "v2beta1";

  /** {@code kubectl get spiderpool} lists every kind of this group. */
  public static final String CATEGORY = "spiderpool";

  /** Finalizer Spiderpool puts on IPPools, Subnets and Endpoints. */
  public static final String FINALIZER = "spiderpool.spidernet.io";

  /**
   * On a SpiderIPPool: an operator asks the controller role to scan the pool now ({@code spiderpool
   * gc run}); the value is an opaque request token (the CLI writes a timestamp). docs/cli.md#gc.
   */
  public static final String GC_REQUESTED = "spiderpool.spidernet.io/gc-requested";

  /** On a SpiderIPPool: the last {@link #GC_REQUESTED} token the controller role has served. */
  public static final String GC_DONE = "spiderpool.spidernet.io/gc-done";

  /** Every kind whose CRD this project generates, in the order Spiderpool documents them. */
  public static final List<Class<? extends HasMetadata>> KINDS =
      List.of(SpiderIPPool.class, SpiderSubnet.class, SpiderEndpoint.class, SpiderReservedIP.class);

  private SpiderpoolApi() {}
}
