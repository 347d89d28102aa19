// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.cni;

/**
 * A CNI error before any IPAM work: the spec code, the message and the details of the error
 * object. Made by {@link CniCallRules} on either side of the plugin/daemon exchange.
 */
public record CniFailure(int code, String msg, String details) {}
