import Foundation
import MCP

/// A call's arguments, checked against the tool's: no unknown name (the schemas say
/// `additionalProperties: false`), every required one present, each of its declared type. A JSON
/// `null` counts as absent.
struct MCPArguments: Sendable {
    private let values: [String: Value]

    init(_ given: [String: Value]?, for arguments: [MCPArgument]) throws {
        let given = (given ?? [:]).filter { !$0.value.isNull }
        let known = Set(arguments.map(\.name))
        if let unknown = given.keys.sorted().first(where: { !known.contains($0) }) {
            throw MCPToolError("unknown argument \"\(SecretMasking.quotable(unknown, limit: 60))\"; this tool takes "
                               + arguments.map(\.name).joined(separator: ", "))
        }
        for argument in arguments {
            if let value = given[argument.name] {
                try argument.check(value)
            } else if argument.required {
                throw MCPToolError("missing argument \"\(argument.name)\": \(argument.description)")
            }
        }
        values = given
    }

    func string(_ name: String) -> String? { values[name]?.stringValue }
    func strings(_ name: String) -> [String] { values[name]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    func flag(_ name: String) -> Bool { values[name]?.boolValue ?? false }
    func integer(_ name: String) -> Int? { values[name].flatMap(MCPArgument.integer) }
    func number(_ name: String) -> Double? { values[name].flatMap(MCPArgument.number) }
}

/// A call that cannot be served as asked: an `isError` result with this one line.
struct MCPToolError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }

    /// Any error as the one line a client sees: secrets masked, line breaks folded.
    static func line(_ error: any Error) -> String {
        let text: String
        switch error {
        case let error as ConfigurationError: text = "configuration error: \(error)"
        case let error as SessionError: text = error.message
        case let error as MCPToolError: text = error.message
        case let error as Deadline.InvalidDeadline: text = error.message
        default: text = "\(error)"
        }
        return SecretMasking.masked(text).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
