package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.gateway.ErrorCode;
import dev.sluice.gateway.GatewayException;
import java.util.Optional;

/** A failure as audit records hold it: the error code, its SQLSTATE and the client's message. */
public record AuditError(String code, String sqlState, Optional<String> message) {
  public AuditError {
    requireNonNull(code, "code is null");
    requireNonNull(sqlState, "sqlState is null");
    requireNonNull(message, "message is null");
  }

  /** Any failure as the client saw it; only gateway errors carry a message safe to keep. */
  static AuditError of(RuntimeException failure) {
    if (failure instanceof GatewayException gateway) {
      return new AuditError(gateway.code().name(), gateway.sqlState(), Optional.of(gateway.getMessage()));
    }
    return new AuditError(ErrorCode.INTERNAL_ERROR.name(), ErrorCode.INTERNAL_ERROR.sqlState(), Optional.empty());
  }

  AuditError withoutMessage() {
    return new AuditError(code, sqlState, Optional.empty());
  }

  static void write(ObjectNode record, Optional<AuditError> error) {
    if (error.isEmpty()) {
      record.putNull("error");
      return;
    }
    record.putObject("error")
        .put("code", error.get().code())
        .put("sql_state", error.get().sqlState())
        .put("message", error.get().message().orElse(null));
  }
}
