// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Key formats as openssl (and Helm's genCA) write them; needs the openssl command. */
class PemKeyPairTest {
  @TempDir static Path dir;

  @BeforeAll
  static void ca() throws Exception {
    TestCerts.newCa(dir);
  }

  @ParameterizedTest
  @CsvSource({"rsa-pkcs8, RSA", "rsa-pkcs1, RSA", "ec, EC"})
  void readsEveryCommonKeyForm(String kind, String algorithm) throws Exception {
    TestCerts.issue(dir, kind, "cn-" + kind, dir.resolve("ca.crt"), dir.resolve("ca.key"), kind);
    assertThat(Files.readString(dir.resolve(kind + ".key")))
        .contains(
            switch (kind) {
              case "rsa-pkcs1" -> "BEGIN RSA PRIVATE KEY";
              case "ec" -> "BEGIN EC PRIVATE KEY";
              default -> "BEGIN PRIVATE KEY";
            });
    PemKeyPair pair = PemKeyPair.load(dir.resolve(kind + ".crt"), dir.resolve(kind + ".key"));
    assertThat(pair.key().getAlgorithm()).isEqualTo(algorithm);
    assertThat(pair.chain()[0].getSubjectX500Principal().getName()).isEqualTo("CN=cn-" + kind);
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() throws Exception {
    TestCerts.issue(dir, "one", "one", dir.resolve("ca.crt"), dir.resolve("ca.key"), "rsa-pkcs8");
    TestCerts.issue(dir, "two", "two", dir.resolve("ca.crt"), dir.resolve("ca.key"), "rsa-pkcs8");
    assertThatThrownBy(() -> PemKeyPair.load(dir.resolve("one.crt"), dir.resolve("two.key")))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "the key in "
                + dir.resolve("two.key")
                + " does not belong to the certificate in "
                + dir.resolve("one.crt")
                + ": write the key the certificate was issued for");
  }

  @Test
  void encryptedEmptyAndTruncatedFilesSayWhatToDo() throws Exception {
    TestCerts.issue(dir, "enc", "enc", dir.resolve("ca.crt"), dir.resolve("ca.key"), "rsa-pkcs8");
    TestCerts.openssl(
        dir, "pkcs8", "-topk8", "-in", "enc.key", "-out", "enc.p8e", "-passout", "pass:x");
    assertThatThrownBy(() -> PemKeyPair.load(dir.resolve("enc.crt"), dir.resolve("enc.p8e")))
        .hasMessageContaining("holds an encrypted key: write it unencrypted");
    // the traditional form: RSA PRIVATE KEY with Proc-Type/DEK-Info headers
    TestCerts.openssl(
        dir,
        "rsa",
        "-in",
        "enc.key",
        "-traditional",
        "-aes256",
        "-passout",
        "pass:x",
        "-out",
        "enc.p1e");
    assertThat(Files.readString(dir.resolve("enc.p1e"))).contains("Proc-Type: 4,ENCRYPTED");
    assertThatThrownBy(() -> PemKeyPair.load(dir.resolve("enc.crt"), dir.resolve("enc.p1e")))
        .hasMessageContaining("holds an encrypted key: write it unencrypted");
    Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> PemKeyPair.load(dir.resolve("empty.pem"), dir.resolve("enc.key")))
        .hasMessageContaining("holds no PEM CERTIFICATE block");
    String key = Files.readString(dir.resolve("enc.key"));
    Files.writeString(dir.resolve("half.key"), key.substring(0, key.length() / 2));
    assertThatThrownBy(() -> PemKeyPair.load(dir.resolve("enc.crt"), dir.resolve("half.key")))
        .hasMessageContaining("holds no PEM private key");
  }
}
