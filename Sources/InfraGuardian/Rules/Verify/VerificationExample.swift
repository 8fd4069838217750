/// Examples of the verification rules: what `verify` observed for one migration file.
extension RuleExample {
    static let verifiedFile = "db/migrations/202401011200_lead_scores.sql"

    /// `verify`'s result for `verifiedFile`, described by `text`; a bad example's finding lands at `at`.
    static func verified(_ text: String, at place: ExpectedPlace? = nil,
                         _ migration: @escaping @Sendable () -> VerifiedMigration) -> RuleExample {
        RuleExample(text, expected: place) {
            AuditInput(verification: MigrationVerification(server: "throwaway PostgreSQL 18.1", migrations: [migration()]))
        }
    }

    /// Every step passed, with these observations.
    static func passedSteps() -> [VerificationStep] {
        VerificationStep.Name.allCases.map { VerificationStep($0, .passed, milliseconds: 3) }
    }

    /// The steps with `failing` failed (detail, line) and the others passed or, after it, skipped.
    static func steps(failing: VerificationStep.Name, detail: String, line: Int?, skipsRest: Bool = false) -> [VerificationStep] {
        var seen = false
        return VerificationStep.Name.allCases.map { name in
            if name == failing {
                seen = true
                return VerificationStep(name, .failed, milliseconds: 2, detail: detail, line: line)
            }
            return VerificationStep(name, seen && skipsRest ? .skipped : .passed, milliseconds: 3,
                                    detail: seen && skipsRest ? "\(failing.rawValue) failed" : nil)
        }
    }
}

extension VerifiedMigration {
    /// The file name without its folder, as findings name it.
    var fileName: String { file.split(separator: "/").last.map(String.init) ?? file }
}
