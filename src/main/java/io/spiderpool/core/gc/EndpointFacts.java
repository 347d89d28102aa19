// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.gc;

/**
 * What the GC needs to know about the SpiderEndpoint of the name a record names.
 *
 * @param uid {@code status.current.uid}: the Pod incarnation the endpoint belongs to
 * @param isStatic whether it outlives its Pod (a StatefulSet endpoint with the feature on)
 * @param staticValid for a static endpoint: whether its Pod name is still a valid member of its
 *     owner (StatefulSet exists and the ordinal is in range)
 */
public record EndpointFacts(String uid, boolean isStatic, boolean staticValid) {}
