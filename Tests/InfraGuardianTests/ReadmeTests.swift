import Foundation
import Testing
@testable import InfraGuardian

/// Everything user-visible is documented: the README's rule table names every rule.
@Suite struct ReadmeTests {
    @Test func readmeListsEveryRule() throws {
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        let packs = try RulePackLoader.load(Configuration(), directory: "/")
        let missing = RuleRegistry.all(packs: packs).map(\.ruleDescription.id).filter { !readme.contains("`\($0)`") }
        #expect(missing.isEmpty, "README.md does not list: \(missing.joined(separator: ", "))")
    }

    @Test func readmeOpensWithTheTwoCommands() throws {
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        let demo = try #require(readme.range(of: "make demo"))
        let test = try #require(readme.range(of: "make test"))
        let commands = try #require(readme.range(of: "## Commands"))
        #expect(demo.lowerBound < commands.lowerBound && test.lowerBound < commands.lowerBound)
    }

    /// "What it never does" promises the exact list of commands sent to Redis: every command literal
    /// the Redis collector sends (`command([...])`, `expectOK([...])`) must be in it.
    @Test func readmeListsEveryCommandSentToRedis() throws {
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        let promise = try #require(readme.range(of: "Redis receives exactly these commands"))
        let listed = String(readme[promise.lowerBound...].prefix(400))
        let folder = repositoryRoot + "/Sources/InfraGuardian/Collect/Redis"
        let pattern = try NSRegularExpression(pattern: #"(?:command|expectOK)\([^\n]*?\["([A-Z]+)"(?:, "([A-Z]+)")?"#)
        var sent = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".swift") {
            let source = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            for match in pattern.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
                let words = (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: source).map { String(source[$0]) } }
                sent.insert(words.joined(separator: " "))
            }
        }
        #expect(sent.isSuperset(of: ["AUTH", "SELECT", "CLIENT SETNAME", "INFO", "CONFIG GET", "PING"]), "found \(sent.sorted())")
        let missing = sent.filter { !listed.contains("`\($0)") }
        #expect(missing.isEmpty, "README.md does not list the Redis commands \(missing.sorted())")
    }
}

/// The README's rule tables are generated: a rule changed or added without regenerating fails here.
@Suite struct ReadmeRuleTableTests {
    @Test func theRuleTablesAreWhatRulesFormatMdPrints() throws {
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        let packs = try RulePackLoader.load(Configuration(), directory: "/")
        let generated = RuleTable.markdown(RuleRegistry.all(packs: packs))
        #expect(readme.contains(generated),
                "README.md's rule tables are stale: replace the generated block with `infra-guardian rules --format md` (run outside a folder with .infra-guardian.yml)")
        #expect(generated.contains("| `require-concurrent-index` | HIGH | `CREATE INDEX` without `CONCURRENTLY`"))
        #expect(generated.contains("| `unlogged-table` | HIGH |"))
    }
}
