import Foundation
import Mustache
import Yams

/// Reads rule packs. A broken pack is a configuration error (exit 2) naming the file, rule and line.
public enum RulePackLoader {
    /// The packs shipped in `rules/` (compiled in) plus the files named in `rule_packs:`.
    public static func load(_ configuration: Configuration, directory: String) throws -> [RulePack] {
        var packs = try BuiltInRulePacks.files.map { name, text in try parse(text, source: "builtin:\(name)") }
        for path in configuration.rulePacks {
            let full = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
            let text: String
            switch RegularFile.text(full, limit: RegularFile.configurationLimit) {
            case .success(let contents): text = contents
            case .failure(let refusal):
                throw ConfigurationError(file: configuration.sourceFile ?? ConfigurationLoader.defaultFileName, line: nil,
                                         key: "rule_packs", problem: "cannot read rule pack \(path): \(refusal.reason)")
            }
            packs.append(try parse(text, source: path))
        }
        let count = packs.reduce(0) { $0 + $1.rules.count }
        guard count <= ConfigurationLoader.Limits.packRules else {
            throw ConfigurationError(file: configuration.sourceFile ?? ConfigurationLoader.defaultFileName, line: nil,
                                     key: "rule_packs", problem: "at most \(ConfigurationLoader.Limits.packRules) pack rules (found \(count))")
        }
        var seen = Set(RuleRegistry.builtIn.map(\.ruleDescription.id))
        for pack in packs {
            for rule in pack.rules {
                guard seen.insert(rule.id).inserted else {
                    throw ConfigurationError(file: pack.source, line: rule.line, key: "rules.\(rule.id)",
                                             problem: "rule id \(rule.id) is already defined by another rule")
                }
            }
        }
        return packs
    }

    public static func parse(_ text: String, source: String) throws -> RulePack {
        let reader = NodeReader(file: source)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(file: source, line: nil, key: "", problem: ConfigurationLoader.yamlProblem(error))
        } catch {
            throw ConfigurationError(file: source, line: nil, key: "", problem: "invalid YAML")
        }
        guard let root else { throw ConfigurationError(file: source, line: nil, key: "", problem: "the pack is empty") }
        var rules: [PackRuleDefinition] = []
        try reader.mapping(root, path: "") { key, value, path in
            switch key {
            case "pack", "description": _ = try reader.string(value, path)
            case "rules":
                guard case .sequence = value else { throw reader.invalid(path, value, "expected a list of rules") }
                for (index, item) in value.array().enumerated() {
                    rules.append(try rule(item, path: "rules[\(index)]", reader: reader, source: source))
                }
            default: throw reader.unknown(path, value, known: ["pack", "description", "rules"])
            }
        }
        return RulePack(source: source, rules: rules)
    }

    private static func rule(_ node: Node, path: String, reader: NodeReader, source: String) throws -> PackRuleDefinition {
        var fields: [String: String] = [:]
        var severity: Severity?
        var category: Category?
        var readsUserData = false
        try reader.mapping(node, path: path) { key, value, keyPath in
            switch key {
            case "id", "summary", "finds", "why", "fix", "query", "message", "bad", "good":
                fields[key] = try reader.string(value, keyPath)
            case "severity": severity = try reader.severity(value, keyPath)
            case "reads_user_data": readsUserData = try reader.bool(value, keyPath)
            case "category":
                let text = try reader.string(value, keyPath)
                guard let parsed = Category(rawValue: text) else {
                    let known = Category.allCases.map(\.rawValue).joined(separator: ", ")
                    throw reader.invalid(keyPath, value, "'\(text)' is not a category (\(known))")
                }
                category = parsed
            default:
                throw reader.unknown(keyPath, value, known: ["id", "category", "severity", "summary", "finds", "why", "fix",
                                                             "query", "message", "bad", "good", "reads_user_data"])
            }
        }
        let id = fields["id"] ?? ""
        let rulePath = id.isEmpty ? path : "rules.\(id)"
        func required(_ key: String) throws -> String {
            guard let value = fields[key], !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw reader.invalid(rulePath, node, "missing '\(key)'")
            }
            return value
        }
        guard id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }), !id.isEmpty else {
            throw reader.invalid(rulePath, node, "'id' must be kebab-case (lower-case letters, digits, -)")
        }
        guard let severity else { throw reader.invalid(rulePath, node, "missing 'severity'") }
        guard let category else { throw reader.invalid(rulePath, node, "missing 'category'") }
        let query = try required("query")
        guard query.range(of: "\\bobject\\b", options: .regularExpression) != nil else {
            throw reader.invalid(rulePath, node, "the query must return a column named object (and optionally detail)")
        }
        for key in ["message", "fix"] {
            do {
                _ = try MustacheTemplate(string: try required(key))
            } catch let error as ConfigurationError {
                throw error
            } catch {
                throw reader.invalid(rulePath, node, "'\(key)' is not a valid template: \(error)")
            }
        }
        return PackRuleDefinition(id: id, category: category, severity: severity, summary: try required("summary"),
                                  finds: fields["finds"],
                                  why: try required("why"), fix: try required("fix"), query: query,
                                  message: try required("message"), badExample: fields["bad"],
                                  goodExample: fields["good"], source: source, line: node.mark?.line,
                                  readsUserData: readsUserData)
    }
}
