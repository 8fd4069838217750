import Foundation

/// What a caller asks for, as the command line, an agent or an MCP tool says it: every field has the
/// default a user gets when they leave the flag out.
public struct SessionOptions: Sendable {
    /// Relative paths (configuration, migration folders, source tree, packs) are resolved here.
    public var directory: String
    /// `--config`; nil: `.infra-guardian.yml` in `directory` when it exists.
    public var configFile: String?
    public var databaseURL: String?
    public var redisURL: String?
    /// `--migrations` (or lint's paths); nil: the configured folders.
    public var migrationFolders: [String]?
    /// `--source`: the root of the TypeScript source tree.
    public var sourceRoot: String?
    /// `--base`: a git revision to compare migration files with.
    public var base: String?
    /// `--baseline`: a baseline file (from `infra-guardian baseline`); nil: `gate.baseline`, else none.
    public var baselineFile: String?
    public var deadline: Deadline?
    public var environment: [String: String]
    /// Unknown rule ids in `rules:` are configuration errors; `rules`/`explain` list rules without that check.
    public var validateRuleSettings: Bool
    /// Load the SQL rule packs even when the configuration names none (lint's text output needs only the
    /// migration rules, and parsing the built-in packs costs about 2 ms of a start).
    public var loadsSQLPacks: Bool
    /// `audit --verify`: every migration file proven on this scratch target as part of the audit.
    public var verify: VerifyOptions?
    /// Progress of long audits (the command line's standard error); nil: silent.
    public var progress: ProgressReporter?

    public init(directory: String = FileManager.default.currentDirectoryPath, configFile: String? = nil,
                databaseURL: String? = nil, redisURL: String? = nil, migrationFolders: [String]? = nil,
                sourceRoot: String? = nil, base: String? = nil, baselineFile: String? = nil, deadline: Deadline? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                validateRuleSettings: Bool = true, loadsSQLPacks: Bool = true, verify: VerifyOptions? = nil) {
        self.verify = verify
        self.directory = directory
        self.configFile = configFile
        self.databaseURL = databaseURL
        self.redisURL = redisURL
        self.migrationFolders = migrationFolders
        self.sourceRoot = sourceRoot
        self.base = base
        self.baselineFile = baselineFile
        self.deadline = deadline
        self.environment = environment
        self.validateRuleSettings = validateRuleSettings
        self.loadsSQLPacks = loadsSQLPacks
    }

    /// The live-collection request these options describe.
    public var auditRequest: AuditRequest {
        AuditRequest(databaseURL: databaseURL, redisURL: redisURL, migrationFolders: migrationFolders,
                     sourceRoot: sourceRoot, base: base, workingDirectory: directory, environment: environment,
                     deadline: deadline, verify: verify)
    }
}
