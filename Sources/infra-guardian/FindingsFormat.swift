import ArgumentParser
import InfraGuardian

/// Formats that carry findings for CI systems (shared by `audit` and `lint`).
enum FindingsFormat {
    static func sarif(_ findings: [Finding], rules: [any Rule]) -> String {
        SARIFRenderer.render(findings: findings, rules: rules.map(\.ruleDescription), toolVersion: InfraGuardianVersion.current)
    }

    static func junit(_ findings: [Finding], rules: [any Rule], failOn: Set<Severity>) -> String {
        JUnitRenderer.render(findings: findings, rules: rules.map(\.ruleDescription), failOn: failOn)
    }
}
