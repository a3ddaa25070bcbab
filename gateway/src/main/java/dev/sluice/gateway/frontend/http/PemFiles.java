package dev.sluice.gateway.frontend.http;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files a TLS listener is configured with, using only the JDK: certificate chains,
 * unencrypted PKCS#8 keys (RSA or EC) and PKCS#1 RSA keys as OpenSSL writes them.
 */
final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
  // AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, in DER.
  private static final byte[] RSA_ALGORITHM = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
  };

  private PemFiles() {}

  /** The certificates in the text, in order; the server's own first. */
  static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certificates = new ArrayList<>();
    Matcher block = BLOCK.matcher(pem);
    while (block.find()) {
      if (block.group(1).equals("CERTIFICATE")) {
        certificates.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(decode(block.group(2)))));
      }
    }
    if (certificates.isEmpty()) {
      throw new CertificateException("no PEM CERTIFICATE block found");
    }
    return certificates;
  }

  /** The first private key in the text. */
  static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    Matcher block = BLOCK.matcher(pem);
    while (block.find()) {
      switch (block.group(1)) {
        case "PRIVATE KEY":
          return pkcs8(decode(block.group(2)));
        case "RSA PRIVATE KEY":
          return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1(decode(block.group(2)))));
        case "ENCRYPTED PRIVATE KEY":
          throw new InvalidKeySpecException("encrypted private keys are not supported; decrypt it, e.g. with"
              + " 'openssl pkcs8 -topk8 -nocrypt'");
        default:
          // Other blocks (EC PARAMETERS, certificates) may share the file; skip them.
      }
    }
    throw new InvalidKeySpecException("no PEM PRIVATE KEY or RSA PRIVATE KEY block found");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (InvalidKeySpecException e) {
        // Try the next algorithm: PKCS#8 names it, but the JDK has no factory that reads the name.
      }
    }
    throw new InvalidKeySpecException("unsupported private key algorithm (expected RSA or EC)");
  }

  /**
   * PKCS#1 RSAPrivateKey wrapped as PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, rsaEncryption,
   * OCTET STRING pkcs1 }. This is all the JDK lacks to read OpenSSL's traditional RSA format.
   */
  static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    body.writeBytes(derLength(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.write(0x30);
    info.writeBytes(derLength(body.size()));
    info.writeBytes(body.toByteArray());
    return info.toByteArray();
  }

  private static byte[] derLength(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    if (length < 0x100) {
      return new byte[] {(byte) 0x81, (byte) length};
    }
    if (length < 0x10000) {
      return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
    }
    return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
  }

  private static byte[] decode(String base64) throws InvalidKeySpecException {
    try {
      return Base64.getMimeDecoder().decode(base64.getBytes(US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new InvalidKeySpecException("malformed base64 in a PEM block");
    }
  }
}
