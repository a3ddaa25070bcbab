package dev.sluice.gateway.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * The certificate chain and private key a listener serves TLS with, both PEM files.
 *
 * @param certificate the server certificate first, then any intermediates
 * @param privateKey an unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 RSA ({@code BEGIN
 *     RSA PRIVATE KEY}) key
 */
public record TlsConfig(Path certificate, Path privateKey) {
  public TlsConfig {
    requireNonNull(certificate, "certificate is null");
    requireNonNull(privateKey, "privateKey is null");
  }
}
