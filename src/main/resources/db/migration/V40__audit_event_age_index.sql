-- Retention (audit.AuditPruning) deletes audit rows older than broker.audit.retention in batches,
-- oldest first; without this index each batch would scan the whole table.
CREATE INDEX ix_audit_event_occurred_at ON audit_event (occurred_at);
