import ArgumentParser
import Foundation
import InfraGuardian

struct RedisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis",
        abstract: "Audit Redis alone, by what each keyspace is for: configuration, access and a bounded key sample by role.",
        discussion: """
        Reads the main Redis (--redis-url, redis.url or the variable of redis.url_env, default REDIS_URL) and every \
        instance a role names (redis.roles.<role>.url or url_env): INFO, CONFIG GET (skipped where a managed \
        service refuses it), the default user's ACL flags, the slow log's command names, and a sample of the keys \
        (SCAN with COUNT, never KEYS; redis.sample.max_keys and budget_ms bound it) counted by role and pattern. \
        No value and no key name is ever printed. Exit 0 PASSED, 1 FAILED, 2 usage or configuration error.
        """)

    @Option(name: .long, help: ArgumentHelp("Redis URL (redis://[:password@]host:port/db); default: redis.url, else $REDIS_URL.",
                                            valueName: "url"))
    var redisURL: String?

    @Option(name: .long, help: ArgumentHelp("md (rows, namespaces, findings, gate) or json.", valueName: "format"))
    var format: RedisFormat = .md

    @Option(name: .long, help: ArgumentHelp("Write the output to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: ./.infra-guardian.yml if present).", valueName: "file"))
    var config: String?

    enum RedisFormat: String, ExpressibleByArgument, CaseIterable { case md, json }

    func run() throws {
        let session = try makeSession { try Session(SessionOptions(configFile: config, redisURL: redisURL)) }
        let report = session.redis()
        let text = format == .json ? try JSONRenderer.render(report) : Session.markdown(report)
        try emit(text, to: output)
        if !report.gate.passed { throw ExitCode(1) }
    }
}
