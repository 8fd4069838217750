import Foundation
import Yams

/// Typed access to YAML nodes that reports the key path and line of anything wrong.
struct NodeReader {
    let file: String

    func mapping(_ node: Node, path: String, _ each: (String, Node, String) throws -> Void) throws {
        guard let mapping = node.mapping else {
            throw invalid(path, node, "expected a mapping of keys to values")
        }
        for (key, value) in mapping {
            guard let name = key.string else { throw invalid(path, key, "keys must be strings") }
            try each(name, value, path.isEmpty ? name : "\(path).\(name)")
        }
    }

    func string(_ node: Node, _ path: String) throws -> String {
        guard case .scalar = node, let text = node.string else { throw invalid(path, node, "expected a string") }
        return text
    }

    func stringList(_ node: Node, _ path: String) throws -> [String] {
        if case .scalar = node, let text = node.string { return [text] }
        guard case .sequence = node else { throw invalid(path, node, "expected a list of strings") }
        return try node.array().map { try string($0, path) }
    }

    func bool(_ node: Node, _ path: String) throws -> Bool {
        guard case .scalar = node, let value = node.bool else { throw invalid(path, node, "expected true or false") }
        return value
    }

    /// `maximum` bounds what the configuration may ask of an audited server (runs, timeouts, samples).
    func int(_ node: Node, _ path: String, positive: Bool = false, maximum: Int? = nil) throws -> Int {
        guard case .scalar = node, let value = node.int else { throw invalid(path, node, "expected a whole number") }
        if positive && value <= 0 { throw invalid(path, node, "must be greater than 0") }
        if let maximum, value > maximum { throw invalid(path, node, "must be at most \(maximum)") }
        return value
    }

    func number(_ node: Node, _ path: String, positive: Bool = false) throws -> Double {
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init) else {
            throw invalid(path, node, "expected a number")
        }
        guard value.isFinite else { throw invalid(path, node, "must be a finite number") }
        if positive && value <= 0 { throw invalid(path, node, "must be greater than 0") }
        return value
    }

    func percent(_ node: Node, _ path: String) throws -> Double {
        let value = try number(node, path, positive: true)
        if value > 100 { throw invalid(path, node, "must be at most 100") }
        return value
    }

    func severity(_ node: Node, _ path: String) throws -> Severity {
        let text = try string(node, path)
        guard let severity = Severity(caseInsensitive: text) else {
            throw invalid(path, node, "'\(text)' is not a severity (CRITICAL, HIGH, MEDIUM, LOW, INFO)")
        }
        return severity
    }

    func invalid(_ path: String, _ node: Node, _ problem: String) -> ConfigurationError {
        ConfigurationError(file: file, line: node.mark?.line, key: path, problem: problem)
    }

    func unknown(_ path: String, _ node: Node, known: [String]) -> ConfigurationError {
        ConfigurationError(file: file, line: node.mark.map { $0.line }, key: path,
                           problem: "unknown key; expected one of: \(known.joined(separator: ", "))")
    }
}
