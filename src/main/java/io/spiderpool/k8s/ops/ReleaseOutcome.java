// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.ops;

/**
 * What {@code ip release} did or, with {@code --dry-run}, would do.
 *
 * @param released whether the record was removed (false on a dry run)
 * @param endpointAction what happened to the holder's SpiderEndpoint: {@code address-removed},
 *     {@code deleted}, {@code none} (no endpoint of that uid lists it), or with a dry run {@code
 *     would-...}
 */
public record ReleaseOutcome(
    String ip,
    String pool,
    String pod,
    String podUid,
    boolean podLive,
    boolean dryRun,
    boolean released,
    String endpointAction) {}
