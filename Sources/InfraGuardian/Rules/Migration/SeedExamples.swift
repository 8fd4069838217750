import Foundation

/// Texts quoted from the seed (`seed/infra-agent-skill.md`), used as rule examples.
enum SeedExamples {
    /// The seed's "Migration Template", verbatim. It does not parse: `column` is a reserved word,
    /// so `ON table_name(column)` is a syntax error.
    static let migrationTemplate = """
        -- Description: [What this migration does]
        -- Author: INFRA_AGENT
        -- Reversible: YES

        -- Up Migration
        BEGIN;

        -- Create table if not exists (idempotent)
        CREATE TABLE IF NOT EXISTS table_name (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            -- columns...
            created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );

        -- Create index concurrently (non-blocking)
        CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_table_column
        ON table_name(column);

        -- Add comment for documentation
        COMMENT ON TABLE table_name IS 'Description (compliance requirement)';

        COMMIT;
        """

    /// The template with its placeholder column named, as a user would fill it in.
    static let migrationTemplateFilledIn = migrationTemplate.replacingOccurrences(
        of: "ON table_name(column);", with: "ON table_name(column_name);")
}
