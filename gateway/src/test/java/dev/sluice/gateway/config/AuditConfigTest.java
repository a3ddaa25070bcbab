package dev.sluice.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.GatewayException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code audit} section: defaults, every key, and each mistake reported with its key path. */
class AuditConfigTest {
  @Test
  void withoutASectionTheLogIsOnInTheWorkingDirectory() {
    AuditConfig audit = parse(ConfigLoaderTest.MINIMAL, Map.of()).audit();
    assertThat(audit).isEqualTo(AuditConfig.defaults());
    assertThat(audit.enabled()).isTrue();
    assertThat(audit.directory()).isEqualTo(Path.of("audit"));
    assertThat(audit.fsync()).isTrue();
    assertThat(audit.groupCommitWindow()).isEqualTo(Duration.ofMillis(2));
    assertThat(audit.rotateSize()).isEqualTo(64L * 1024 * 1024);
    assertThat(audit.retention()).isEqualTo(AuditConfig.Retention.keepAll());
    assertThat(audit.redactLiterals()).isFalse();
    assertThat(audit.hmacKey()).isEmpty();
  }

  @Test
  void bindsEveryKey() {
    AuditConfig audit = parse(ConfigLoaderTest.MINIMAL + """
        audit:
          enabled: true
          directory: ${LOGS}/audit
          fsync: false
          group_commit_window: 3ms
          write_timeout: 10s
          rotate_size: 512KB
          rotate_age: 6h
          retention:
            max_files: 30
            max_age: 90d
          redact_literals: true
          hmac_key_env: AUDIT_KEY
        """, Map.of("LOGS", "/var/log/sluice", "AUDIT_KEY", "a-long-enough-secret-key")).audit();
    assertThat(audit.directory()).isEqualTo(Path.of("/var/log/sluice/audit"));
    assertThat(audit.fsync()).isFalse();
    assertThat(audit.groupCommitWindow()).isEqualTo(Duration.ofMillis(3));
    assertThat(audit.writeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(audit.rotateSize()).isEqualTo(512L * 1024);
    assertThat(audit.rotateAge()).isEqualTo(Duration.ofHours(6));
    assertThat(audit.retention()).isEqualTo(new AuditConfig.Retention(30, Optional.of(Duration.ofDays(90))));
    assertThat(audit.redactLiterals()).isTrue();
    assertThat(audit.hmacKeyEnv()).contains("AUDIT_KEY");
    assertThat(audit.hmacKey()).contains("a-long-enough-secret-key");
    // The key is a secret: configurations end up in logs.
    assertThat(audit.toString()).doesNotContain("a-long-enough-secret-key").contains("hmacKey=(set)");
  }

  @Test
  void reportsEveryMistakeWithItsKeyPath() {
    assertThatThrownBy(() -> parse(ConfigLoaderTest.MINIMAL + """
        audit:
          enabled: maybe
          directory: ""
          group_commit_window: 5s
          rotate_size: 64 MiB
          rotate_age: 0s
          retention:
            max_files: 1
            keep: forever
          hmac_key_env: AUDIT_KEY
          fsink: true
        """, Map.of()))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("audit.enabled: expected true or false, got 'maybe'")
        .hasMessageContaining("audit.directory: must not be empty")
        .hasMessageContaining("audit.group_commit_window: must be at most 1s")
        .hasMessageContaining("audit.rotate_size: expected a size such as '64MB'")
        .hasMessageContaining("audit.rotate_age: must be longer than zero")
        .hasMessageContaining("audit.retention.max_files: must be 0 (keep all) or at least 2")
        .hasMessageContaining("audit.retention.keep: unknown key")
        .hasMessageContaining("audit.hmac_key_env: environment variable AUDIT_KEY is not set")
        .hasMessageContaining("audit.fsink: unknown key");
  }

  @Test
  void aShortKeyIsRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> parse(ConfigLoaderTest.MINIMAL + "audit: { hmac_key_env: AUDIT_KEY }\n",
        Map.of("AUDIT_KEY", "short-key")))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("audit.hmac_key_env: the key in AUDIT_KEY must be at least 16 characters")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-key"));
  }

  @Test
  void theDemoKeepsItsAuditLogWithItsData() {
    AuditConfig audit = ConfigLoader.demo(VariableResolver.of(Map.of("SLUICE_DATA_DIR", "/var/sluice"))).audit();
    assertThat(audit.enabled()).isTrue();
    assertThat(audit.fsync()).isTrue();
    assertThat(audit.directory()).isEqualTo(Path.of("/var/sluice/audit"));
  }

  private static GatewayConfig parse(String yaml, Map<String, String> variables) {
    return ConfigLoader.parse(yaml, "test.yaml", VariableResolver.of(variables));
  }
}
