import Foundation
import Mustache

/// A rule-pack entry as a `Rule`: its query ran in the collect stage; this turns the rows into findings.
public struct PackRule: Rule {
    public let definition: PackRuleDefinition

    public init(_ definition: PackRuleDefinition) {
        self.definition = definition
    }

    /// Pack rules have no static identity; `ruleDescription` carries it.
    public static var description: RuleDescription {
        RuleDescription(id: "rule-pack", category: .schema, severity: .info, summary: "", why: "", fix: "", bad: [], good: [])
    }

    public var ruleDescription: RuleDescription {
        let id = definition.id
        return RuleDescription(
            id: id, category: definition.category, severity: definition.severity, summary: definition.summary,
            finds: definition.finds, why: definition.why, fix: definition.fix,
            bad: definition.badExample.map { [RuleExample(setupSQL: $0)] } ?? [],
            good: definition.goodExample.map { [RuleExample(setupSQL: $0)] } ?? [])
    }

    public func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        // A refused query is reported once, by probe-refused.
        guard let result = input.postgres.value?.packResults?[definition.id], result.refusal == nil else { return [] }
        if let error = result.error {
            return [finding("Rule-pack query \(definition.id) (\(definition.source)) failed: \(error)",
                            at: .object(definition.source),
                            fix: "Fix the query of \(definition.id) in \(definition.source); it must return the columns object, detail.")]
        }
        // Objects of the schemas the audit leaves out (Supabase's, extensions') are not the team's to fix.
        let schemas = context.configuration.schemas
        return result.rows.filter { row in Self.schema(of: row.object).map { !schemas.excludes($0) } ?? true }.map { row in
            finding(Self.render(definition.message, row), at: .object(row.object), fix: Self.render(definition.fix, row))
        }
    }

    /// The schema of `schema.name` as `format('%I.%I')` prints it (quoted when needed); nil when the
    /// object is not schema-qualified.
    static func schema(of object: String) -> String? {
        guard object.hasPrefix("\"") else {
            return object.firstIndex(of: ".").map { String(object[..<$0]) }
        }
        var name = ""
        var index = object.index(after: object.startIndex)
        while index < object.endIndex {
            let character = object[index]
            index = object.index(after: index)
            if character == "\"" {
                guard index < object.endIndex, object[index] == "\"" else {
                    return index < object.endIndex && object[index] == "." ? name : nil
                }
                index = object.index(after: index)
            }
            name.append(character)
        }
        return nil
    }

    static func render(_ template: String, _ row: PackResult.Row) -> String {
        guard let compiled = try? MustacheTemplate(string: template) else { return template }
        var values = ["object": row.object]
        // Absent, not empty: `{{#detail}}...{{/detail}}` must skip when there is no detail.
        if let detail = row.detail, !detail.isEmpty { values["detail"] = detail }
        return compiled.render(values)
    }

    static func input(_ id: String, _ result: PackResult) -> AuditInput {
        var snapshot = PostgresSnapshot()
        snapshot.packResults = [id: result]
        return AuditInput(postgres: Collected(target: "postgres://example", value: snapshot))
    }
}
