import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// Configuration, rule packs and snapshots are files a pull request can change: they are read only
/// when they are regular files, what they ask of a server is bounded, and nothing they contain is
/// echoed unmasked.
@Suite struct HostileInputTests {
    @Test func specialFilesAreRefusedByTypeWithoutBlocking() throws {
        let root = try TemporaryDirectory()
        let fifo = root.path + "/config.yml"
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opening a FIFO with no writer would block forever: the refusal proves it did not.
        #expect(RegularFile.read(fifo, limit: 1024).failure?.reason.contains("a FIFO") == true)
        #expect(RegularFile.read("/proc/self/environ", limit: 1 << 20).failure?.reason.contains("/proc") == true)
        #expect(RegularFile.read("/dev/zero", limit: 1024).failure?.reason.contains("character device") == true)
        #expect(RegularFile.read(root.path, limit: 1024).failure != nil)
        try root.write("big.yml", String(repeating: "x", count: 2048))
        #expect(RegularFile.read(root.path + "/big.yml", limit: 1024).failure?.reason.contains("larger than") == true)
        try root.write("ok.yml", "\u{FEFF}rules: {}")
        #expect(try RegularFile.text(root.path + "/ok.yml", limit: 1024).get() == "rules: {}")
    }

    @Test func theEnvironmentCannotBeReadAsAConfigurationOrAPack() throws {
        #expect {
            try ConfigurationLoader.load(file: "/proc/self/environ")
        } throws: { "\($0)".contains("refused") }
        var configuration = Configuration()
        configuration.rulePacks = ["/proc/self/environ"]
        #expect {
            try RulePackLoader.load(configuration, directory: "/")
        } throws: { "\($0)".contains("refused") }
    }

    @Test func yamlErrorsQuoteNoLineOfTheFile() {
        let secretLine = "postgres: { url: postgres://app:hunter2@db/prod ]"
        #expect {
            try ConfigurationLoader.parse("rules: {}\n" + secretLine)
        } throws: { error in
            let text = "\(error)"
            return text.contains("invalid YAML") && !text.contains("hunter2") && !text.contains("app:")
        }
    }

    @Test func configurationErrorsMaskAndEscapeWhatTheyQuote() {
        #expect {
            try ConfigurationLoader.parse("\"postgres://app:hunter2@db/prod\\e[2J\": 1")
        } throws: { error in
            let text = "\(error)"
            return text.contains("<key not shown>") && !text.contains("hunter2") && !text.contains("\u{1B}")
        }
    }

    @Test func quotedValuesAreMaskedAndEscaped() {
        #expect {
            try ConfigurationLoader.parse("gate: {fail_on: [\"postgres://app:hunter2@db/prod\\e[2J\"]}")
        } throws: { error in
            let text = "\(error)"
            return text.contains("postgres://app:***@db/prod") && !text.contains("hunter2") && !text.contains("\u{1B}")
        }
    }

    @Test func whatAConfigurationMayAskIsBounded() {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.parse("probes: [{name: a, sql: SELECT 1, runs: 100000000}]")
        }
        let many = (0...ConfigurationLoader.Limits.probes).map { "  - {name: p\($0), sql: SELECT 1}" }.joined(separator: "\n")
        #expect { try ConfigurationLoader.parse("probes:\n" + many) } throws: { "\($0)".contains("at most 100 probes") }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse("postgres: {statement_timeout_ms: 99999999}") }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse("postgres: {ping_samples: 250000}") }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse("thresholds: {postgres_ping_ms: .inf}") }
        #expect(throws: Never.self) { try ConfigurationLoader.parse("probes: [{name: a, sql: SELECT 1, runs: 10000}]") }
    }

    @Test func snapshotNumbersAreRangeCheckedAndTargetsMaskedAgain() throws {
        let root = try TemporaryDirectory()
        var snapshot = PostgresSnapshot()
        snapshot.pingMillis = [1.5]
        let input = AuditInput(postgres: Collected(target: "postgres://admin:hunter2@prod.example/db", value: snapshot))
        let good = Data(try JSONRenderer.render(input).utf8)
        try root.write("good.json", good)
        let loaded = try SnapshotFile.load(root.path + "/good.json")
        #expect(loaded.postgres.target == "postgres://admin:***@prod.example/db")

        for wild in ["1e17", "1e16", "-5"] {
            let text = String(decoding: good, as: UTF8.self).replacingOccurrences(of: "1.5", with: wild)
            try root.write("wild.json", text)
            #expect {
                try SnapshotFile.load(root.path + "/wild.json")
            } throws: { "\($0)".contains("pingMillis[0]") && "\($0)".contains("out of range") }
        }
        #expect((Percentiles.summarize([1e17])?.maxMillis ?? 0) > 3_500_000, "clamped to the histogram's hour, no trap")
    }

    /// A bigint identity column's sequence ends at Int64.max: its snapshot must read back (it did not
    /// while the bound was 9.2e18), and one past the bigint range is still refused.
    @Test func aBigintSequenceSnapshotReadsBack() throws {
        let root = try TemporaryDirectory()
        var snapshot = PostgresSnapshot()
        var maintenance = MaintenanceStats()
        maintenance.sequences = [SequenceUsage(name: "leads_id_seq", lastValue: 42, minValue: Int64.min, maxValue: Int64.max)]
        snapshot.maintenance = maintenance
        let text = try JSONRenderer.render(AuditInput(postgres: Collected(target: "postgres://db/app", value: snapshot)))
        try root.write("bigint.json", text)
        let loaded = try SnapshotFile.load(root.path + "/bigint.json")
        #expect(loaded.postgres.value?.maintenance?.sequences.first?.maxValue == Int64.max)
        #expect(loaded.postgres.value?.maintenance?.sequences.first?.minValue == Int64.min)
        try root.write("beyond.json", text.replacingOccurrences(of: "9223372036854775807", with: "92233720368547758070"))
        #expect { try SnapshotFile.load(root.path + "/beyond.json") } throws: { "\($0)".contains("out of range") }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
