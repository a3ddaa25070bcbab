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
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
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
    KeyMaterial material = load(certificateFile, privateKeyFile, configPath);
    try {
      return SslContextBuilder.forServer(material.key(), material.chain().toArray(X509Certificate[]::new))
          .sslProvider(SslProvider.JDK)
          .protocols(PROTOCOLS)
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new GatewayException(
          ErrorCode.CONFIGURATION_ERROR, configPath + ": cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /**
   * The same certificate chain and key as PEM text, for servers that read PEM themselves (gRPC),
   * checked exactly like {@link #forServer}. The key is re-encoded as unencrypted PKCS#8, the one
   * key format every PEM reader accepts, so PKCS#1 files work there too.
   *
   * @throws GatewayException with {@link ErrorCode#CONFIGURATION_ERROR}, as {@link #forServer} does
   */
  public static PemKeyPair pem(Path certificateFile, Path privateKeyFile, String configPath) {
    KeyMaterial material = load(certificateFile, privateKeyFile, configPath);
    StringBuilder chain = new StringBuilder();
    for (X509Certificate certificate : material.chain()) {
      try {
        chain.append(pemBlock("CERTIFICATE", certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw invalid(configPath + ".certificate", certificateFile, e);
      }
    }
    return new PemKeyPair(
        chain.toString().getBytes(US_ASCII), pemBlock("PRIVATE KEY", material.key().getEncoded()).getBytes(US_ASCII));
  }

  /** A certificate chain and its private key as PEM; {@link #toString()} hides the key. */
  public record PemKeyPair(byte[] certificateChain, byte[] privateKey) {
    public PemKeyPair {
      certificateChain = requireNonNull(certificateChain, "certificateChain is null").clone();
      privateKey = requireNonNull(privateKey, "privateKey is null").clone();
    }

    @Override
    public byte[] certificateChain() {
      return certificateChain.clone();
    }

    @Override
    public byte[] privateKey() {
      return privateKey.clone();
    }

    @Override
    public String toString() {
      return "PemKeyPair[certificateChain=" + certificateChain.length + " bytes, privateKey=***]";
    }
  }

  private record KeyMaterial(List<X509Certificate> chain, PrivateKey key) {}

  private static KeyMaterial load(Path certificateFile, Path privateKeyFile, String configPath) {
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
    return new KeyMaterial(chain, key);
  }

  private static String pemBlock(String type, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
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
