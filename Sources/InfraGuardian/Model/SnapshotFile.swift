import Foundation

/// Reads a saved audit input (`collect --out`) for `audit --snapshot`. A snapshot is a file like any
/// other input: it may have been edited, so its numbers are range-checked before any rule sees them
/// and its targets are masked again, wherever they came from.
public enum SnapshotFile {
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var description: String { message }
    }

    /// Snapshots of a 20,000-table database are tens of megabytes; a gigabyte is not a snapshot.
    public static let limit = 1 << 30

    public static func load(_ path: String) throws -> AuditInput {
        let bytes: [UInt8]
        switch RegularFile.read(path, limit: limit) {
        case .success(let read): bytes = read
        case .failure(let refusal): throw Problem(message: "cannot read snapshot \(SecretMasking.quotable(path)): \(refusal.reason)")
        }
        let data = Data(bytes)
        if let outOfRange = try? firstOutOfRange(in: data) {
            throw Problem(message: "\(SecretMasking.quotable(path)): \(outOfRange)")
        }
        var input: AuditInput
        do {
            input = try JSONRenderer.decoder().decode(AuditInput.self, from: data)
        } catch {
            throw Problem(message: "\(SecretMasking.quotable(path)) is not an infra-guardian snapshot (from `collect --out`): "
                          + SecretMasking.quotable(describe(error), limit: 300))
        }
        input.postgres.target = input.postgres.target.map(ConnectionTarget.maskedForDisplay)
        input.redis.target = input.redis.target.map(ConnectionTarget.maskedForDisplay)
        return input
    }

    /// Latencies are milliseconds of one round trip: a day is already absurd, and larger values
    /// overflow the histogram's integer microseconds.
    static let maximumLatencyMillis = 86_400_000.0
    /// Counters and sizes fit a signed 64-bit integer (PostgreSQL's bigint): up to 2^63, which is
    /// what `Int64.max` (a bigint sequence's maximum) reads as in a Double.
    static let maximumMagnitude = 9_223_372_036_854_775_808.0

    /// The path and value of the first number that no collector could have written, if any.
    static func firstOutOfRange(in data: Data) throws -> String? {
        let root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return check(root, path: "", key: "")
    }

    private static func check(_ value: Any, path: String, key: String) -> String? {
        if let object = value as? [String: Any] {
            for (name, child) in object.sorted(by: { $0.key < $1.key }) {
                if let problem = check(child, path: path.isEmpty ? name : "\(path).\(name)", key: name) { return problem }
            }
        } else if let array = value as? [Any] {
            for (index, child) in array.enumerated() {
                if let problem = check(child, path: "\(path)[\(index)]", key: key) { return problem }
            }
        } else if let number = value as? NSNumber {  // booleans arrive as 0 and 1: always in range
            let double = number.doubleValue
            if !double.isFinite || abs(double) > maximumMagnitude {
                return "'\(path)': \(number) is out of range"
            }
            if isLatency(key), !(0...maximumLatencyMillis).contains(double) {
                return "'\(path)': \(number) ms is out of range (0 to \(Int(maximumLatencyMillis)) ms)"
            }
        }
        return nil
    }

    private static func isLatency(_ key: String) -> Bool {
        key == "pingMillis" || key == "maxMillis" || key == "meanMillis" || key == "budgetMillis"
            || (key.hasPrefix("p") && key.hasSuffix("Millis") && key.dropFirst().dropLast(6).allSatisfy(\.isNumber))
    }

    /// A decoding error in one line: the JSON path and what was wrong there.
    static func describe(_ error: Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        switch decoding {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
             .dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return "\(path.isEmpty ? "" : "'\(path.drop { $0 == "." })': ")\(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
