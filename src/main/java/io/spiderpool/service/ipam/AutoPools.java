// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.service.ipam;

import io.spiderpool.core.error.InvalidInputException;
import io.spiderpool.core.error.TransientException;
import io.spiderpool.core.net.IpFamily;
import java.util.Map;

/**
 * SpiderSubnet auto-pools as an ADD needs them (docs/subnet.md#the-add-path): the pool of the Pod's
 * application for the NIC, per family, once it exists and can serve the Pod. The node's watch cache
 * answers; a third-party application's pool is made here first
 * (docs/subnet.md#third-party-controllers). Waits are bounded ({@code
 * SPIDERPOOL_WAIT_SUBNET_POOL_*}); one ADD's waits share one budget.
 */
public interface AutoPools {

  /** Refuses every subnet-annotated Pod: an engine built without the SpiderSubnet feature. */
  AutoPools UNSUPPORTED =
      new AutoPools() {
        @Override
        public Map<IpFamily, String> await(AutoPoolRequest request) {
          throw new InvalidInputException(
              "the SpiderSubnet annotations (ipam.spidernet.io/subnet, subnets) are not"
                  + " served by this engine: use ipam.spidernet.io/ippool or ippools");
        }

        @Override
        public void awaitRoom(String pool, String podUid) {
          throw new IllegalStateException("no auto-pools here");
        }
      };

  /**
   * The auto-pool per family of {@code request.families()}, each existing, owned by the
   * application's current UID and with a free address for the Pod (or one it already holds).
   *
   * @throws TransientException when that is not so within the wait budget; the message names the
   *     pool (or the one missing) and how many addresses it lacks
   * @throws InvalidInputException when the request can never be served as written (a third-party
   *     application without a fixed {@code ippool-ip-number}, a missing or wrong subnet)
   */
  Map<IpFamily, String> await(AutoPoolRequest request);

  /**
   * Waits, within what is left of the budget of this Pod's {@link #await}, until {@code pool} again
   * has a free address: it was full when the allocation came (another Pod took the last one).
   *
   * @throws TransientException when the budget is spent first
   */
  void awaitRoom(String pool, String podUid);
}
