// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.wire;

/**
 * The spool directory that carries CNI calls from the plugin process to the node daemon, shared by
 * both sides so they cannot drift (the plugin's {@code io.spiderpool.cni.SpoolTransport}, the
 * daemon's {@code io.spiderpool.daemon.spool.SpoolServer}). One call is one id and moves through
 * names:
 *
 * <pre>
 * plugin  writes  ID.tmp  --rename-->  ID.req                       (a complete request)
 * daemon  claims  ID.req  --rename-->  ID.work                      (or the plugin withdraws:
 *                                                                     ID.req --rename--> ID.gone)
 * daemon  writes  ID.part --rename-->  ID.resp, then deletes ID.work (a complete reply)
 * plugin  reads ID.resp and deletes it
 * </pre>
 *
 * Every step is a rename inside one directory, so a file is seen whole or not at all, and a request
 * is taken by exactly one of "the daemon claimed it" and "the plugin withdrew it". A request file
 * holds the bytes of one {@code POST /v1/cni} ({@link CniExchange}) and a reply file those of its
 * answer, both framed by {@link HttpCodec}.
 *
 * <p>The daemon touches {@link #HEARTBEAT} every {@link #HEARTBEAT_PERIOD_MILLIS}; a heartbeat
 * older than {@link #HEARTBEAT_STALE_MILLIS} means the daemon is gone.
 */
public final class SpoolLayout {
  /** The spool of the daemon serving socket S is the directory S + this suffix. */
  public static final String DIR_SUFFIX = ".spool";

  /** The daemon's heartbeat file. */
  public static final String HEARTBEAT = "alive";

  /** The file the daemon holds a lock on while it serves the spool. */
  public static final String LOCK = "daemon.lock";

  public static final String WRITING = ".tmp";
  public static final String REQUEST = ".req";
  public static final String CLAIMED = ".work";
  public static final String ANSWERING = ".part";
  public static final String RESPONSE = ".resp";
  public static final String WITHDRAWN = ".gone";

  public static final long HEARTBEAT_PERIOD_MILLIS = 1_000;
  public static final long HEARTBEAT_STALE_MILLIS = 3_000;

  /** A live daemon claims a request within milliseconds; after this the plugin withdraws it. */
  public static final long CLAIM_MILLIS = 2_000;

  private SpoolLayout() {}

  /** The spool directory of the daemon serving {@code socket}. */
  public static String dirOf(String socket) {
    return socket.concat(DIR_SUFFIX);
  }
}
