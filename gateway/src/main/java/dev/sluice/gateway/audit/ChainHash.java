package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a record's {@code prev} field is computed from the exact bytes of the line before it (without
 * its newline): SHA-256, which detects any change to a line that is not followed by rewriting every
 * later line, or HMAC-SHA256 under a secret key, which nobody without the key can recompute.
 */
public final class ChainHash {
  /** The {@code prev} of the very first record of a log. */
  public static final String GENESIS = "0".repeat(64);
  public static final String SHA256 = "sha256";
  public static final String HMAC_SHA256 = "hmac-sha256";

  private final String name;
  private final SecretKeySpec key;

  private ChainHash(String name, SecretKeySpec key) {
    this.name = name;
    this.key = key;
  }

  public static ChainHash sha256() {
    return new ChainHash(SHA256, null);
  }

  public static ChainHash hmacSha256(String key) {
    requireNonNull(key, "key is null");
    return new ChainHash(HMAC_SHA256, new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
  }

  /** HMAC-SHA256 under {@code key} when there is one, SHA-256 otherwise. */
  public static ChainHash of(Optional<String> key) {
    return key.map(ChainHash::hmacSha256).orElseGet(ChainHash::sha256);
  }

  /** {@code sha256} or {@code hmac-sha256}, as each file's first record names it. */
  public String name() {
    return name;
  }

  /** The lower-case hex hash of {@code length} bytes of {@code line} from {@code offset}. */
  public String hash(byte[] line, int offset, int length) {
    try {
      if (key == null) {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(line, offset, length);
        return HexFormat.of().formatHex(digest.digest());
      }
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(line, offset, length);
      return HexFormat.of().formatHex(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 and HmacSHA256 are always available", e);
    }
  }

  public String hash(byte[] line) {
    return hash(line, 0, line.length);
  }

  /** SHA-256 hex of text (the SQL hash in records); never keyed, so it can be compared across logs. */
  public static String sha256Hex(String text) {
    return sha256().hash(text.getBytes(StandardCharsets.UTF_8));
  }
}
