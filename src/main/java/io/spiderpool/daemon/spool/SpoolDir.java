// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.daemon.spool;

import io.spiderpool.daemon.socket.PrivateDirs;
import io.spiderpool.wire.SpoolLayout;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The spool directory as one daemon holds it: mode 0700 (root-only, as the 0600 agent socket),
 * owned through a lock on {@link SpoolLayout#LOCK} for as long as the daemon lives, so a second
 * daemon cannot take over a live spool while a crashed one's lock is gone with its process. What a
 * previous daemon left is cleared at open; the heartbeat is touched on request; the sweep removes
 * what nobody will collect.
 */
final class SpoolDir implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SpoolDir.class.getName());
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  /** A request this old has been withdrawn by its plugin, or its plugin is gone. */
  static final long STALE_REQUEST_MILLIS = 2 * SpoolLayout.CLAIM_MILLIS;

  /**
   * Replies nobody collected (a waiting plugin polls every few milliseconds) and half-written files
   * of a crashed plugin are removed after this.
   */
  static final long LEFTOVER_MILLIS = 30_000;

  /** Spools held by this JVM, by real path. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final Path key;
  private final FileLock lock;

  private SpoolDir(Path dir, Path key, FileLock lock) {
    this.dir = dir;
    this.key = key;
    this.lock = lock;
  }

  /** Creates or takes over {@code dir}; fails while another daemon holds it. */
  static SpoolDir open(Path dir) throws IOException {
    PrivateDirs.createParents(dir);
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(
            dir + " exists and is not a directory; remove it to let the daemon create its spool");
      }
    }
    Files.setPosixFilePermissions(dir, OWNER_ONLY);
    Path key = dir.toRealPath();
    // in this JVM first: closing a second channel on the lock file would drop the first's lock
    if (!HELD.add(key)) {
      throw refused(dir);
    }
    try {
      SpoolDir spool = new SpoolDir(dir, key, lock(dir));
      spool.clear();
      return spool;
    } catch (IOException | RuntimeException e) {
      HELD.remove(key);
      throw e;
    }
  }

  private static FileLock lock(Path dir) throws IOException {
    FileChannel ch =
        FileChannel.open(
            dir.resolve(SpoolLayout.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      ch.close();
      throw refused(dir);
    }
    return lock;
  }

  private static IOException refused(Path dir) {
    return new IOException("another daemon is serving the CNI spool " + dir + "; stop it first");
  }

  Path dir() {
    return dir;
  }

  Path file(String id, String suffix) {
    return dir.resolve(id.concat(suffix));
  }

  /** Touches the heartbeat (creates it the first time, or when someone removed it). */
  void beat() throws IOException {
    Path alive = dir.resolve(SpoolLayout.HEARTBEAT);
    try {
      Files.setLastModifiedTime(alive, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (NoSuchFileException first) {
      Files.createFile(alive);
    }
  }

  /**
   * Hands every request young enough to be waited for to {@code claim} (a safety net for missed
   * watch events) and deletes stale requests and leftovers. Claimed requests are the workers'
   * business and are never touched here.
   */
  void sweep(long nowMillis, Consumer<String> claim) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.equals(SpoolLayout.HEARTBEAT)
            || name.equals(SpoolLayout.LOCK)
            || name.endsWith(SpoolLayout.CLAIMED)) {
          continue;
        }
        long age;
        try {
          age = nowMillis - Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (NoSuchFileException gone) {
          continue;
        }
        if (name.endsWith(SpoolLayout.REQUEST) && age <= STALE_REQUEST_MILLIS) {
          claim.accept(name.substring(0, name.length() - SpoolLayout.REQUEST.length()));
        } else if (name.endsWith(SpoolLayout.REQUEST) || age > LEFTOVER_MILLIS) {
          LOG.fine(() -> "removing stale spool file " + f + " (" + age + " ms old)");
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** Deletes everything but the lock file. */
  private void clear() throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (!f.getFileName().toString().equals(SpoolLayout.LOCK)) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /**
   * Removes the heartbeat first, so that plugins fail fast instead of waiting, then pending files,
   * then lets go of the lock. The lock file and the directory stay: deleting them could pull them
   * from under a successor that already holds them.
   */
  @Override
  public void close() throws IOException {
    try {
      Files.deleteIfExists(dir.resolve(SpoolLayout.HEARTBEAT));
      clear();
    } finally {
      lock.channel().close(); // releases the lock
      HELD.remove(key);
    }
  }
}
