// SPDX-License-Identifier: Apache-2.0
/** Rules about Pods that allocation, release and the GC share. Pure Java. */
package io.spiderpool.core.pod;
