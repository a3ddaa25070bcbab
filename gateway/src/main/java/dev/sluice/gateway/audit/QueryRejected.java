package dev.sluice.gateway.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * A request refused before anything ran, recorded alone: a failed login ({@code authentication}),
 * a query refused while planning (syntax, unknown or hidden names, read-only), by admission limits
 * or at execution (parameters). For a login with an unknown user name, which is often a password
 * typed into the wrong field, only that name's SHA-256 is kept.
 */
public record QueryRejected(
    String queryId,
    String stage,
    Caller caller,
    Optional<String> unknownUserSha256,
    Optional<String> sql,
    boolean sqlRedacted,
    Optional<String> sqlHash,
    List<String> denied,
    AuditError error) implements AuditEvent {
  public static final String TYPE = "rejected";
  public static final String AUTHENTICATION = "authentication";

  public QueryRejected {
    requireNonNull(queryId, "queryId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(caller, "caller is null");
    requireNonNull(unknownUserSha256, "unknownUserSha256 is null");
    requireNonNull(sql, "sql is null");
    requireNonNull(sqlHash, "sqlHash is null");
    denied = List.copyOf(requireNonNull(denied, "denied is null"));
    requireNonNull(error, "error is null");
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void writeFields(ObjectNode record) {
    record.put("query_id", queryId);
    record.put("stage", stage);
    caller.writeFields(record);
    unknownUserSha256.ifPresent(hash -> record.put("unknown_user_sha256", hash));
    record.put("sql", sql.orElse(null));
    record.put("sql_redacted", sqlRedacted);
    record.put("sql_hash", sqlHash.orElse(null));
    AuditJson.strings(record.putArray("denied"), denied);
    AuditError.write(record, Optional.of(error));
  }
}
