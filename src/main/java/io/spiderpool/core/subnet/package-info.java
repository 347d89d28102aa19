// SPDX-License-Identifier: Apache-2.0
/**
 * The SpiderSubnet feature's decisions, pure
 * (docs/subnet.md#spidersubnet-auto-created-pools-per-application): what an application's
 * auto-created pool is called and labelled, how big it should be, the {@code controlledIPPools}
 * record of a subnet, and which addresses a resize carves out of the subnet or gives back to it.
 * The controller role and the node daemon do the reading and writing; see docs/subnet.md.
 */
package io.spiderpool.core.subnet;
