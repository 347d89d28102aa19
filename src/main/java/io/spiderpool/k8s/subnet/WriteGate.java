// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.subnet;

import java.util.function.Supplier;

/**
 * Where the subnet and pool writes of a resize go through: the controller role's term fence (a
 * deposed holder writes nothing), or straight through on a node daemon that makes a third-party
 * application's pool on the ADD path.
 */
@FunctionalInterface
public interface WriteGate {
  /** Writes without a fence. */
  WriteGate DIRECT =
      new WriteGate() {
        @Override
        public <T> T write(Supplier<T> write) {
          return write.get();
        }
      };

  /** Runs {@code write}, or throws without running it when writes are not allowed any more. */
  <T> T write(Supplier<T> write);
}
