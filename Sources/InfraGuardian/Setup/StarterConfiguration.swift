import Foundation

/// The `.infra-guardian.yml` that `init` writes: what the scan found as keys, every other setting a
/// commented default. It names variables, never their values: the file is committed.
enum StarterConfiguration {
    static func render(_ scan: ProjectScan) -> String {
        var lines = [
            "# infra-guardian configuration, written by `infra-guardian init` from what it found in this project.",
            "# Every key is optional (a missing key keeps its default); an unknown key is an error.",
            "# The database and Redis URLs are read from the environment: their values never go in this file.",
            "",
        ]
        lines += paths(scan) + [""]
        lines += urlVariable(section: "postgres", scan.databaseURL, default: "DATABASE_URL", what: "database URL") + [""]
        lines += urlVariable(section: "redis", scan.redisURL, default: "REDIS_URL", what: "Redis URL") + [""]
        lines += ["# The quality gate (these are the defaults):"] + commented(gateBlock) + [""]
        lines += ["# The keyword-triggered agent (Claude Code hook, MCP server); these are the defaults:"] + commented(agentBlock)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The defaults shown commented out, as YAML that loads (a test proves it).
    static let gateBlock = [
        "gate:",
        "  fail_on: [CRITICAL, HIGH]      # unwaived findings of these severities fail the gate",
        "  fail_on_unhealthy: true        # an unreachable server or unreadable migrations fail it too",
        "  fail_on_degraded: false",
        "  history: report                # findings of migrations already applied are listed, never gate",
        "  # baseline: \(Baseline.defaultFileName)   # written by `infra-guardian baseline`",
    ]

    static let agentBlock = [
        "agent:",
        "  keywords: [\(AgentSettings.defaultKeywords.map(yamlScalar).joined(separator: ", "))]",
        "  budget_s: 10                   # seconds the hook answer may take in all (at most 25)",
    ]

    private static func paths(_ scan: ProjectScan) -> [String] {
        var body: [String] = []
        var active = false
        if scan.migrationFolders.isEmpty {
            body += ["  # No migration folder found: db/migrations and supabase/migrations are read when they exist.",
                     "  # migrations: [db/migrations]"]
        } else {
            active = true
            body += ["  # Migration folders, in order (dbmate; Supabase CLI for those under supabase/)."]
            body += ["  migrations:"] + scan.migrationFolders.map { "    - \(yamlScalar($0))" }
        }
        if !scan.otherMigrationFolders.isEmpty {
            body += ["  # Also found, under examples or tests (not configured): "
                     + scan.otherMigrationFolders.map(yamlScalar).joined(separator: ", ")]
        }
        if let source = scan.source {
            active = true
            body += ["  # The TypeScript source tree the adapter analysis reads.", "  source: \(yamlScalar(source))"]
            if !scan.otherSources.isEmpty {
                body += ["  # Other TypeScript source trees found (one is read): "
                         + scan.otherSources.map(yamlScalar).joined(separator: ", ")]
            }
        } else {
            body += ["  # No TypeScript source tree found (src, apps/*/src, packages/*/src).", "  # source: src"]
        }
        return active ? ["paths:"] + body : ["# paths:"] + commented(body)
    }

    private static func urlVariable(section: String, _ found: [ProjectScan.Variable], default name: String,
                                    what: String) -> [String] {
        let others = found.dropFirst().map(\.name)
        let alsoSeen = others.isEmpty ? [] : ["  # Also seen: \(others.joined(separator: ", "))"]
        guard let chosen = found.first, chosen.name != name else {
            return ["# The \(what) is read from \(name) (the default); url_env names another variable."]
                + commented(["\(section):", "  url_env: \(name)"] + alsoSeen)
        }
        return ["\(section):",
                "  # The \(what) is read from this variable (named in \(yamlScalar(chosen.file))); its value never goes here.",
                "  url_env: \(chosen.name)"] + alsoSeen
    }

    private static func commented(_ block: [String]) -> [String] { block.map { "# " + $0 } }

    /// A plain scalar when that reads back as the same string, else a double-quoted one with every
    /// quote, backslash and line break escaped: folder names are the project's, and a newline in one
    /// must not start a key of its own.
    static func yamlScalar(_ text: String) -> String {
        let plain = text.first.map { $0.isASCII && $0.isLetter } == true
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_./-".contains($0)) }
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text.lowercased())
        guard !plain else { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF:
                quoted += String(format: "\\u%04X", scalar.value)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
