/// A DO block whose SQL is built at run time (or written in another language): the linter cannot
/// read it, and says so once instead of passing it silently.
struct DoBlockNotAnalysed: Rule {
    static let description = RuleDescription(
        id: "do-block-not-analysed", category: .migration, severity: .info,
        summary: "A DO block runs SQL built at run time, which the linter cannot read.",
        finds: "`EXECUTE` of a string built from variables, or a DO body that is not PL/pgSQL or does not parse",
        why: """
        The static statements of a DO block and EXECUTEs of constant strings (or `format()` of \
        constants) are linted like any other statement, at their line and in the DO's transaction. SQL \
        assembled from variables (`EXECUTE format('ALTER TABLE %I …', tbl)` in a loop) is only known when \
        the migration runs: no rule has looked at it, and locks, validations and CONCURRENTLY in it are \
        as dangerous there as anywhere.
        """,
        fix: """
        Review the generated statements by hand, or write them out: one static statement per table makes \
        every one of them linted (and reviewable in the pull request).
        """,
        bad: [.migration("DO $$\nDECLARE t text;\nBEGIN\n  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP\n    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);\n  END LOOP;\nEND $$;")],
        good: [.migration("DO $$\nBEGIN\n  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', 'leads');\nEND $$;"),
               .migration("DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'lead_status') THEN\n    CREATE TYPE lead_status AS ENUM ('new', 'won');\n  END IF;\nEND $$;")])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        context.migrations(input).files.flatMap { file -> [Finding] in
            (file.up?.unreadDoBlocks ?? []).map { block in
                let what: String
                if let failure = block.failure {
                    what = "is not analysed: \(failure)"
                } else {
                    let lines = FixText.list(block.executeLines.map(String.init))
                    what = "runs SQL built at run time (EXECUTE at line\(block.executeLines.count == 1 ? "" : "s") \(lines)); "
                        + "it is not analysed"
                }
                return finding("The DO block at line \(block.line) \(what).",
                               at: Location(file: file.file.path, line: block.line, column: block.column))
            }
        }
    }
}
