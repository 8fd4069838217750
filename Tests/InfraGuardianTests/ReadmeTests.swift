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
}
