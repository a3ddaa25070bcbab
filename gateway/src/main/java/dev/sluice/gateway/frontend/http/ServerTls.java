package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds the server-side TLS context of a listener from PEM files: TLS 1.2 and 1.3 only. */
public final class ServerTls {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private ServerTls() {}

  /**
   * The TLS context for a certificate chain and key.
   *
   * @param configPath the configuration key the files came from, for error messages
   * @throws GatewayException with {@link ErrorCode#CONFIGURATION_ERROR} when a file cannot be
   *     read or parsed, or the key does not belong to the certificate
   */
  public static SslContext forServer(Path certificateFile, Path privateKeyFile, String configPath) {
    requireNonNull(certificateFile, "certificateFile is null");
    requireNonNull(privateKeyFile, "privateKeyFile is null");
    requireNonNull(configPath, "configPath is null");
    List<X509Certificate> chain;
    try {
      chain = PemFiles.certificates(read(certificateFile, configPath + ".certificate"));
    } catch (GeneralSecurityException e) {
      throw invalid(configPath + ".certificate", certificateFile, e);
    }
    PrivateKey key;
    try {
      key = PemFiles.privateKey(read(privateKeyFile, configPath + ".private_key"));
    } catch (GeneralSecurityException e) {
      // The message of a key-parsing exception never contains key material.
      throw invalid(configPath + ".private_key", privateKeyFile, e);
    }
    checkKeyMatches(chain.get(0), key, configPath + ".private_key", privateKeyFile);
    try {
      return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
          .sslProvider(SslProvider.JDK)
          .protocols(PROTOCOLS)
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new GatewayException(
          ErrorCode.CONFIGURATION_ERROR, configPath + ": cannot set up TLS: " + e.getMessage(), e);
    }
  }

  // Without this check a mismatched pair starts fine and then fails every handshake.
  private static void checkKeyMatches(X509Certificate certificate, PrivateKey key, String path, Path file) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return;
    }
    byte[] probe = "sluice key check".getBytes(StandardCharsets.US_ASCII);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new GatewayException(
          ErrorCode.CONFIGURATION_ERROR,
          path + ": the private key in " + file + " does not belong to the certificate");
    }
  }

  private static String read(Path file, String path) {
    try {
      return Files.readString(file, US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw new GatewayException(
          ErrorCode.CONFIGURATION_ERROR, path + ": cannot read " + file + ": " + e.getClass().getSimpleName(), e);
    }
  }

  private static GatewayException invalid(String path, Path file, GeneralSecurityException e) {
    return new GatewayException(ErrorCode.CONFIGURATION_ERROR, path + ": " + file + " is not usable: " + e.getMessage(), e);
  }
}
