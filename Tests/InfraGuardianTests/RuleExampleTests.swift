import Testing
@testable import InfraGuardian

/// Every rule's own examples are its tests: bad ones must raise it, good ones must not.
@Suite struct RuleExampleTests {
    /// Built-in rules and the rules of the built-in packs (`rules/*.yml`).
    static let rules = RuleRegistry.all(packs: (try? RulePackLoader.load(Configuration(), directory: "/")) ?? [])
        .map { RuleCase(rule: $0) }

    struct RuleCase: CustomTestStringConvertible, Sendable {
        let rule: any Rule
        var testDescription: String { rule.ruleDescription.id }
    }

    @Test(arguments: rules)
    func badExamplesRaiseTheRule(_ item: RuleCase) {
        let description = item.rule.ruleDescription
        #expect(!description.badExamples.isEmpty, "\(description.id) has no bad example")
        for example in description.badExamples where example.setupSQL == nil {
            let findings = item.rule.check(example.input(), Self.context(example)).filter { $0.ruleID == description.id }
            #expect(!findings.isEmpty, "\(description.id) missed bad example:\n\(example.text)")
            if let place = example.expected, !findings.isEmpty {
                #expect(findings.contains { Self.lands($0.location, at: place) },
                        "\(description.id): no finding at \(place) for bad example:\n\(example.text)\nfound at: \(findings.map(\.location.description))")
            }
        }
    }

    /// The context the Evaluator gives the example: its collection time is "now".
    static func context(_ example: RuleExample) -> RuleContext {
        RuleContext(now: example.input().collectedAt)
    }

    static func lands(_ location: Location, at place: RuleExample.ExpectedPlace) -> Bool {
        switch place {
        // A finding without a column (a whole line, a section marker) is pinned by its line.
        case .line(let line, let column): location.line == line && (column == nil || location.column == nil || location.column == column)
        case .file: location.file != nil && location.line == nil
        case .object(let object): location.object == object
        }
    }

    @Test(arguments: rules)
    func goodExamplesStayQuiet(_ item: RuleCase) {
        let description = item.rule.ruleDescription
        #expect(!description.goodExamples.isEmpty, "\(description.id) has no good example")
        for example in description.goodExamples where example.setupSQL == nil {
            let findings = item.rule.check(example.input(), Self.context(example))
            #expect(findings.isEmpty, "\(description.id) flagged good example:\n\(example.text)\n\(findings.map(\.message))")
        }
    }

    @Test func idsAreUniqueAndKebabCase() {
        let ids = Self.rules.map(\.rule.ruleDescription.id)
        #expect(ids.count > RuleRegistry.builtIn.count, "the built-in packs did not load")
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(id) is not kebab-case")
            #expect(!id.hasPrefix("-") && !id.hasSuffix("-"))
        }
    }

    @Test func everyRuleExplainsWhyAndHow() {
        for rule in Self.rules.map(\.rule.ruleDescription) {
            #expect(!rule.summary.isEmpty && !rule.why.isEmpty && !rule.fix.isEmpty, "\(rule.id) lacks text")
            let text = RuleExplanation.text(rule)
            #expect(text.contains(rule.id) && text.contains("Why:") && text.contains("Bad:") && text.contains("Good:"))
        }
    }
}
