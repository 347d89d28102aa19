// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.socket;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * The directories the daemon creates for its socket and spool (docs/daemon.md#who-may-connect):
 * every missing one is made mode 0700, so no other user can reach what is in them; directories that
 * exist already (a hostPath, {@code /run}) are left as they are, the socket being 0600 and the
 * spool 0700 themselves.
 */
public final class PrivateDirs {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private PrivateDirs() {}

  /** Creates the missing ancestors of {@code file}, each mode 0700 whatever the umask. */
  public static void createParents(Path file) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path d = file.toAbsolutePath().getParent(); d != null && !Files.isDirectory(d); ) {
      missing.push(d);
      d = d.getParent();
    }
    while (!missing.isEmpty()) {
      Path d = missing.pop();
      try {
        Files.createDirectory(d, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.setPosixFilePermissions(d, OWNER_ONLY); // the umask may have narrowed it
      } catch (FileAlreadyExistsException raced) {
        if (!Files.isDirectory(d)) {
          throw new IOException(d + " exists and is not a directory", raced);
        }
      }
    }
  }
}
