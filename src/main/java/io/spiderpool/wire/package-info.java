// SPDX-License-Identifier: Apache-2.0
/**
 * The contract of a CNI call on a node, the one package both of its processes depend on: the plugin
 * ({@code io.spiderpool.cni}) and the node daemon ({@code io.spiderpool.daemon}).
 *
 * <ul>
 *   <li>the CNI specification as this plugin speaks it: versions, error codes, the error and
 *       VERSION objects ({@link io.spiderpool.wire.CniSpec}), the ADD result per version ({@link
 *       io.spiderpool.wire.CniResult}), and what libcni's skel checks before a plugin runs ({@link
 *       io.spiderpool.wire.CniCallRules});
 *   <li>the plugin's call to the daemon: {@code POST /v1/cni} ({@link
 *       io.spiderpool.wire.CniExchange}) through the spool directory ({@link
 *       io.spiderpool.wire.SpoolLayout});
 *   <li>the one HTTP/1.1 codec for both ends ({@link io.spiderpool.wire.HttpCodec}), which the
 *       agent's unix socket uses too.
 * </ul>
 *
 * <p>It depends on the JDK and the core only, and the plugin process loads it: no lambdas, no
 * {@code +} on strings ({@link io.spiderpool.wire.Concat}), no regex (enforced by {@code
 * ArchitectureTest}).
 */
package io.spiderpool.wire;
