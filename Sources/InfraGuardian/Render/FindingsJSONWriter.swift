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
        // They are recognised by their bits, read in place: copying them would count references
        // on strings that every core shares, and those counts cost more than the writing.
        var head = Reused(), fix = Reused(), file = Reused()
        findings.withUnsafeBufferPointer { all in
            for index in range {
                let finding = UnsafeRawPointer(all.baseAddress! + index)
                out.append(contentsOf: (index == 0 ? "\n    {" : ",\n    {").utf8)
                head.append(Bits(finding, Self.ruleIDOffset, extra: Self.categoryAndSeverity(finding)), to: &out) { bytes in
                    field("ruleID", all[index].ruleID, &bytes, first: true)
                    field("category", all[index].category.rawValue, &bytes)
                    field("severity", all[index].severity.rawValue, &bytes)
                }
                field("message", all[index].message, &out)
                fix.append(Bits(finding, Self.fixOffset), to: &out) { bytes in field("fix", all[index].fix, &bytes) }
                out.append(contentsOf: ", \"location\" : ".utf8)
                if all[index].location.file != nil {
                    out.append(UInt8(ascii: "{"))
                    file.append(Bits(finding, Self.fileOffset), to: &out) { bytes in
                        field("file", all[index].location.file ?? "", &bytes, first: true)
                    }
                    rest(of: all[index].location, &out, first: false)
                } else {
                    location(all[index].location, &out)
                }
                if let waiver = all[index].waiver {
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
    }

    private static let ruleIDOffset = MemoryLayout<Finding>.offset(of: \Finding.ruleID)!
    private static let fixOffset = MemoryLayout<Finding>.offset(of: \Finding.fix)!
    private static let fileOffset = MemoryLayout<Finding>.offset(of: \Finding.location.file)!

    private static let categoryOffset = MemoryLayout<Finding>.offset(of: \Finding.category)!
    private static let severityOffset = MemoryLayout<Finding>.offset(of: \Finding.severity)!

    /// Category and severity as their one-byte cases, read in place.
    private static func categoryAndSeverity(_ finding: UnsafeRawPointer) -> UInt {
        UInt(finding.load(fromByteOffset: categoryOffset, as: UInt8.self)) << 8
            | UInt(finding.load(fromByteOffset: severityOffset, as: UInt8.self))
    }

    /// A string field's bits (its two words, read without touching the string) plus small extra
    /// values: equal bits mean the same string, so the JSON written for it can be reused.
    private struct Bits: Equatable {
        let first: UInt, second: UInt, extra: UInt

        init(_ finding: UnsafeRawPointer, _ offset: Int, extra: UInt = 0) {
            first = finding.load(fromByteOffset: offset, as: UInt.self)
            second = finding.load(fromByteOffset: offset + MemoryLayout<UInt>.size, as: UInt.self)
            self.extra = extra
        }
    }

    /// The JSON bytes of the last value written, kept while the next values have the same bits.
    private struct Reused {
        private var last: Bits?
        private var cached: [UInt8] = []

        /// A String (optional or not) is two words on 64-bit platforms, so its bits are all read;
        /// elsewhere nothing is reused.
        private static let stringsAreTwoWords = MemoryLayout<String>.size == 2 * MemoryLayout<UInt>.size
            && MemoryLayout<String?>.size == MemoryLayout<String>.size

        mutating func append(_ bits: Bits, to out: inout [UInt8], write: (inout [UInt8]) -> Void) {
            if last != bits || !Self.stringsAreTwoWords {
                cached.removeAll(keepingCapacity: true)
                write(&cached)
                last = bits
            }
            cached.withUnsafeBufferPointer { out.append(contentsOf: $0) }
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
        // Native strings are contiguous UTF-8: read in place (a `var` copy to call `withUTF8` would
        // count a reference); others are made contiguous first.
        if value.utf8.withContiguousStorageIfAvailable({ escape($0, &out) }) == nil {
            var value = value
            value.withUTF8 { escape($0, &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `bytes` as the inside of a JSON string.
    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) {
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

    /// True when one of the eight bytes may be a control character, a double quote or a backslash (never false
    /// when one is: the classic "has a byte less than / equal to" bit tricks).
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let control = (word &- ones &* 0x20) & ~word & highs != 0
        return control || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
    }
}
