/// Writes a `LintReport` as JSON directly into bytes. Foundation's JSONEncoder took a sixth of a
/// whole lint run on large corpora; this writes the same keys `Codable` would, so `JSONDecoder`
/// reads it back into `LintReport` (a test checks the round trip).
public enum FindingsJSONWriter {
    public static func render(_ report: LintReport) -> String {
        var bytes: [UInt8] = []
        write(report) { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The JSON as consecutive UTF-8 pieces, handed to `consume` in order: for writing without
    /// joining them first and without turning them into Strings (a validation pass less: the
    /// bytes come from Strings and JSON escaping keeps them valid UTF-8). Findings are written a
    /// thousand at a time on every core into a few reused buffers, while `consume` writes the
    /// previous ones: the whole text is never held at once (it is 20 MB for 33,000 findings).
    public static func write(_ report: LintReport, to consume: ([UInt8]) -> Void) {
        consume(Array("{\n  \"files\" : \(report.files),\n  \"findings\" : [".utf8))
        let findings = report.findings
        let pieceSize = 1_000
        OrderedPipeline.run(count: (findings.count + pieceSize - 1) / pieceSize, produce: { piece, out in
            findingsText(findings, piece * pieceSize..<min(findings.count, (piece + 1) * pieceSize), &out)
        }, consume: consume)
        var out: [UInt8] = []
        out += Array((report.findings.isEmpty ? "],\n" : "\n  ],\n").utf8)
        out += Array("  \"gate\" : {\"passed\" : \(report.gate.passed), \"reasons\" : [".utf8)
        for (index, reason) in report.gate.reasons.enumerated() {
            if index > 0 { out += Array(", ".utf8) }
            string(reason, &out)
        }
        out += Array("]}\n}\n".utf8)
        consume(out)
    }

    private static func findingsText(_ findings: [Finding], _ range: Range<Int>, _ out: inout [UInt8]) {
        out.reserveCapacity(range.count * 700)
        // Findings of one rule come together and share its id, category, severity and fix text,
        // and neighbours often share a file: each of those is escaped once per run, then copied.
        var head = Reused<(String, Category, Severity)>(equal: { $0.0 == $1.0 && $0.1 == $1.1 && $0.2 == $1.2 })
        var fix = Reused<String>(equal: ==)
        var file = Reused<String>(equal: ==)
        for index in range {
            let finding = findings[index]
            out.append(contentsOf: (index == 0 ? "\n    {" : ",\n    {").utf8)
            out.append(contentsOf: head.bytes(for: (finding.ruleID, finding.category, finding.severity)) { value, bytes in
                field("ruleID", value.0, &bytes, first: true)
                field("category", value.1.rawValue, &bytes)
                field("severity", value.2.rawValue, &bytes)
            })
            field("message", finding.message, &out)
            out.append(contentsOf: fix.bytes(for: finding.fix) { value, bytes in field("fix", value, &bytes) })
            out.append(contentsOf: ", \"location\" : ".utf8)
            if let path = finding.location.file {
                out.append(UInt8(ascii: "{"))
                out.append(contentsOf: file.bytes(for: path) { value, bytes in field("file", value, &bytes, first: true) })
                rest(of: finding.location, &out, first: false)
            } else {
                location(finding.location, &out)
            }
            if let waiver = finding.waiver {
                out.append(contentsOf: ", \"waiver\" : {".utf8)
                field("reason", waiver.reason, &out, first: true)
                if let place = waiver.location {
                    out.append(contentsOf: ", \"location\" : ".utf8)
                    location(place, &out)
                }
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The JSON bytes of the last value written, kept while the next values are equal to it.
    private struct Reused<Value> {
        let equal: (Value, Value) -> Bool
        private var last: Value?
        private var cached: [UInt8] = []

        init(equal: @escaping (Value, Value) -> Bool) { self.equal = equal }

        mutating func bytes(for value: Value, write: (Value, inout [UInt8]) -> Void) -> [UInt8] {
            if let last, equal(last, value) { return cached }
            cached.removeAll(keepingCapacity: true)
            write(value, &cached)
            last = value
            return cached
        }
    }

    private static func location(_ location: Location, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        if let file = location.file { field("file", file, &out, first: first); first = false }
        rest(of: location, &out, first: first)
    }

    /// Line, column and object of a location, and the closing brace.
    private static func rest(of location: Location, _ out: inout [UInt8], first: Bool) {
        var first = first
        if let line = location.line { number("line", line, &out, first: first); first = false }
        if let column = location.column { number("column", column, &out, first: first); first = false }
        if let object = location.object { field("object", object, &out, first: first) }
        out.append(UInt8(ascii: "}"))
    }

    private static func field(_ key: String, _ value: String, _ out: inout [UInt8], first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")); out.append(UInt8(ascii: " ")) }
        string(key, &out)
        out.append(contentsOf: " : ".utf8)
        string(value, &out)
    }

    private static func number(_ key: String, _ value: Int, _ out: inout [UInt8], first: Bool) {
        if !first { out.append(UInt8(ascii: ",")); out.append(UInt8(ascii: " ")) }
        string(key, &out)
        out.append(contentsOf: " : ".utf8)
        // Digits straight into the buffer (a String per number was an allocation per line and column).
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var digits = value.magnitude, divisor: UInt = 1
        while digits / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(digits / divisor))
            digits %= divisor
            divisor /= 10
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func string(_ value: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            // Copy runs of plain bytes at once; escape only what JSON requires. Eight bytes are
            // tested at a time (most messages need no escape at all).
            var runStart = 0
            var index = 0
            while index < bytes.count {
                if index + 8 <= bytes.count, let base = bytes.baseAddress,
                   !mayNeedEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                    continue
                }
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                    index += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
                default:
                    out.append(UInt8(ascii: "u"))
                    out.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
                index += 1
                runStart = index
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// True when one of the eight bytes may be a control character, a double quote or a backslash (never false
    /// when one is: the classic "has a byte less than / equal to" bit tricks).
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let control = (word &- ones &* 0x20) & ~word & highs != 0
        return control || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
    }
}
