extension PostgresMigration {
    /// Step 3: remediation rows change after their intent; snapshots keep the newest.
    static let remediationSnapshots = PostgresMigration(
        version: 3, name: "remediation_snapshots",
        sql: #"""
            ALTER TABLE remediation_log
                ADD COLUMN updated_at timestamptz NULL,
                ADD COLUMN approval text NULL CHECK (approval IN ('awaiting', 'approved', 'rejected')),
                ADD COLUMN plan_summary text NOT NULL DEFAULT '';
            COMMENT ON COLUMN remediation_log.updated_at IS
                'When this snapshot was taken (intent, outcome, verification, approval); a newer snapshot replaces an older one, never the reverse.';
            COMMENT ON COLUMN remediation_log.approval IS 'For high-risk plans parked for a person: awaiting, approved or rejected (jarvis approve/reject).';
            COMMENT ON COLUMN remediation_log.plan_summary IS 'The plan in one line for people: the pattern, the LLM''s summary, or why it was rejected.';
            """#)
}
