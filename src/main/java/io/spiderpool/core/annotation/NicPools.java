// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.annotation;

/**
 * One item of the {@code ippools} annotation: the pools for one NIC and whether that NIC must not
 * get a default route ({@code cleangateway}).
 *
 * @param nic the interface name, or in unnamed mode the item's index ("0", "1", ...), which is how
 *     Spiderpool names the NICs until their real names are known
 */
public record NicPools(String nic, PoolNames pools, boolean cleanGateway) {}
