package dev.sluice.gateway.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 made at test time with the JDK's own keytool (works
 * offline, no extra library), written as the PEM files the gateway reads and as a PKCS#12
 * truststore for clients.
 *
 * @param certificate PEM certificate
 * @param privateKey PEM PKCS#8 key ({@code BEGIN PRIVATE KEY})
 * @param rsaPrivateKey the same key as PEM PKCS#1 ({@code BEGIN RSA PRIVATE KEY})
 * @param truststore PKCS#12 file holding the certificate as a trusted entry
 */
public record TestingCertificates(
    Path certificate, Path privateKey, Path rsaPrivateKey, Path truststore, String truststorePassword) {
  private static final String PASSWORD = "test-store-pass";

  public static TestingCertificates generate(Path directory) throws IOException, GeneralSecurityException {
    Files.createDirectories(directory);
    Path keystore = directory.resolve("server.p12");
    Files.deleteIfExists(keystore);
    keytool(
        "-genkeypair", "-alias", "sluice", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-keystore", keystore.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD, "-keypass", PASSWORD);
    KeyStore server = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      server.load(in, PASSWORD.toCharArray());
    }
    PrivateKey key = (PrivateKey) server.getKey("sluice", PASSWORD.toCharArray());
    Certificate certificate = server.getCertificate("sluice");

    Path certificateFile = write(directory.resolve("server.crt"), "CERTIFICATE", certificate.getEncoded());
    Path keyFile = write(directory.resolve("server.key"), "PRIVATE KEY", key.getEncoded());
    Path rsaKeyFile = write(directory.resolve("server-rsa.key"), "RSA PRIVATE KEY", pkcs1Of(key.getEncoded()));

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("sluice", certificate);
    Path truststore = directory.resolve("truststore.p12");
    try (OutputStream out = Files.newOutputStream(truststore)) {
      trust.store(out, PASSWORD.toCharArray());
    }
    return new TestingCertificates(certificateFile, keyFile, rsaKeyFile, truststore, PASSWORD);
  }

  /** A client TLS context trusting only this certificate, e.g. for {@code java.net.http.HttpClient}. */
  public SSLContext clientContext() throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(truststore)) {
      trust.load(in, truststorePassword.toCharArray());
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  /** The Avatica driver's URL properties that make it trust this certificate. */
  public String avaticaTrustProperties() {
    return ";truststore=" + truststore + ";truststore_password=" + truststorePassword;
  }

  private static void keytool(String... arguments) throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(Arrays.asList(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), US_ASCII);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while running keytool", e);
    }
  }

  private static Path write(Path file, String type, byte[] der) throws IOException {
    String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    Files.writeString(file, "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n", US_ASCII);
    return file;
  }

  // PrivateKeyInfo is SEQUENCE { INTEGER version, SEQUENCE algorithm, OCTET STRING key }; for RSA
  // the OCTET STRING holds the PKCS#1 RSAPrivateKey.
  private static byte[] pkcs1Of(byte[] pkcs8) {
    int[] position = {0};
    enter(pkcs8, position, 0x30);
    skip(pkcs8, position, 0x02);
    skip(pkcs8, position, 0x30);
    int length = enter(pkcs8, position, 0x04);
    return Arrays.copyOfRange(pkcs8, position[0], position[0] + length);
  }

  private static int enter(byte[] der, int[] position, int tag) {
    if ((der[position[0]] & 0xff) != tag) {
      throw new IllegalArgumentException("Unexpected DER tag at " + position[0]);
    }
    position[0]++;
    int first = der[position[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[position[0]++] & 0xff);
    }
    return length;
  }

  private static void skip(byte[] der, int[] position, int tag) {
    int length = enter(der, position, tag);
    position[0] += length;
  }
}
