// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.wire;

/**
 * A CNI error found before any IPAM work: the spec code, the message and the details of the error
 * object. Made by {@link CniCallRules} and {@link CniSpec} on either side of the plugin/daemon
 * exchange.
 */
public record CniFailure(int code, String msg, String details) {}
