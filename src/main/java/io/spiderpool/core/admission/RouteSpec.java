// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.core.admission;

/** One entry of {@code spec.routes}, as written (either part may be null or malformed). */
public record RouteSpec(String dst, String gw) {}
