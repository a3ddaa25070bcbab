package dev.sluice.gateway.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One record of the audit log before the log numbers and chains it: its {@code type} and its own
 * fields. The log adds {@code seq}, {@code time} and {@code type} in front and {@code prev} last.
 */
public interface AuditEvent {
  String type();

  /** Adds this event's fields (never seq, time, type or prev) to {@code record}. */
  void writeFields(ObjectNode record);
}
