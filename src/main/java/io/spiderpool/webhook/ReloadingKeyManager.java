// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's key and certificate, re-read from their PEM files when they change, so a rotated
 * certificate (a renewed Secret, cert-manager) is served without a restart. At most once per {@code
 * checkEvery}, a handshake compares the files' modification time and size with those of the pair in
 * use; on a change it loads the new pair and switches to it only when the key belongs to the
 * certificate. A half-written pair (certificate renewed, key not yet) therefore keeps the old pair
 * in service until both files agree.
 *
 * <p>Aliases carry a generation, so a handshake that chose the old pair still gets the old key even
 * when a reload happens between choosing the alias and signing.
 *
 * <p>Ours rather than the platform's: Quarkus' TLS registry reloads certificates only for the
 * Vert.x servers it configures; the webhook is the JDK's {@code HttpsServer}, whose TLS takes a
 * {@code KeyManager}, so reloading is this class (PemKeyPair says why the parsing is ours too).
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final Logger LOG = Logger.getLogger(ReloadingKeyManager.class.getName());

  private record Loaded(long generation, PemKeyPair pair, List<Object> stamp) {
    String alias() {
      return "gen-" + generation;
    }
  }

  private final Path certFile;
  private final Path keyFile;
  private final long checkEveryNanos;
  private volatile Loaded current;
  private volatile Loaded previous;
  private long lastCheck;
  private List<Object> lastFailedStamp;

  /** Loads the pair once; a pair that cannot be loaded at start is an error, as in Spiderpool. */
  ReloadingKeyManager(Path certFile, Path keyFile, Duration checkEvery) throws IOException {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.checkEveryNanos = checkEvery.toNanos();
    List<Object> stamp = stamp();
    this.current = new Loaded(1, PemKeyPair.load(certFile, keyFile), stamp);
    this.lastCheck = System.nanoTime();
  }

  /** The certificate now served (tests and diagnostics). */
  X509Certificate certificate() {
    maybeReload();
    return current.pair().chain()[0];
  }

  private List<Object> stamp() throws IOException {
    return List.of(
        Files.getLastModifiedTime(certFile),
        Files.size(certFile),
        Files.getLastModifiedTime(keyFile),
        Files.size(keyFile));
  }

  private synchronized void maybeReload() {
    long now = System.nanoTime();
    if (now - lastCheck < checkEveryNanos) {
      return;
    }
    lastCheck = now;
    List<Object> stamp;
    try {
      stamp = stamp();
    } catch (IOException e) {
      warnOnce(
          List.of(e.toString()),
          "cannot read the webhook certificate files, still serving the" + " loaded pair: " + e);
      return;
    }
    if (stamp.equals(current.stamp())) {
      return;
    }
    try {
      PemKeyPair pair = PemKeyPair.load(certFile, keyFile);
      previous = current;
      current = new Loaded(previous.generation() + 1, pair, stamp);
      lastFailedStamp = null;
      LOG.info(
          () ->
              "webhook certificate reloaded: "
                  + pair.chain()[0].getSubjectX500Principal()
                  + ", valid until "
                  + pair.chain()[0].getNotAfter().toInstant());
    } catch (IOException | RuntimeException e) {
      warnOnce(
          stamp,
          "new webhook certificate files not usable yet, still serving the previous pair: "
              + e.getMessage());
    }
  }

  private void warnOnce(List<Object> stamp, String message) {
    if (!Objects.equals(stamp, lastFailedStamp)) {
      lastFailedStamp = stamp;
      LOG.log(Level.WARNING, message);
    }
  }

  private Loaded byAlias(String alias) {
    Loaded c = current;
    if (c.alias().equals(alias)) {
      return c;
    }
    Loaded p = previous;
    return p != null && p.alias().equals(alias) ? p : null;
  }

  private String aliasFor(String keyType) {
    maybeReload();
    Loaded c = current;
    String alg = c.pair().key().getAlgorithm();
    boolean fits =
        switch (keyType) {
          case "RSA", "RSASSA-PSS" -> alg.equals("RSA");
          case "EC" -> alg.equals("EC");
          case "EdDSA", "Ed25519" -> alg.equals("EdDSA") || alg.equals("Ed25519");
          default -> keyType.equals(alg);
        };
    return fits ? c.alias() : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String a = aliasFor(keyType);
    return a == null ? null : new String[] {a};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Loaded l = byAlias(alias);
    return l == null ? null : l.pair().chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Loaded l = byAlias(alias);
    return l == null ? null : l.pair().key();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
