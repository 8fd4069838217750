/// Writes a `LintReport` as JSON into bytes, with the keys `Codable` would write, so `JSONDecoder`
/// reads it back into `LintReport` (a test checks the round trip). Written by hand, piece by piece,
/// so a large report (20 MB for 33,000 findings) is never held whole before it is written out.
public enum FindingsJSONWriter {
    public static func render(_ report: LintReport) -> String {
        var bytes: [UInt8] = []
        write(report) { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The JSON as consecutive UTF-8 pieces, handed to `consume` in order (a thousand findings each).
    public static func write(_ report: LintReport, to consume: ([UInt8]) -> Void) {
        var out = Array("{\n  \"files\" : \(report.files),\n  \"findings\" : [".utf8)
        for (index, finding) in report.findings.enumerated() {
            out += Array((index == 0 ? "\n    {" : ",\n    {").utf8)
            finding.writeJSON(to: &out)
            out.append(UInt8(ascii: "}"))
            if out.count >= 1 << 20 {
                consume(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        out += Array((report.findings.isEmpty ? "],\n" : "\n  ],\n").utf8)
        out += Array("  \"gate\" : {\"passed\" : \(report.gate.passed), \"reasons\" : [".utf8)
        for (index, reason) in report.gate.reasons.enumerated() {
            if index > 0 { out += Array(", ".utf8) }
            JSONText.string(reason, &out)
        }
        out += Array("]}\n}\n".utf8)
        consume(out)
    }
}

private extension Finding {
    func writeJSON(to out: inout [UInt8]) {
        JSONText.field("ruleID", ruleID, &out, first: true)
        JSONText.field("category", category.rawValue, &out)
        JSONText.field("severity", severity.rawValue, &out)
        JSONText.field("message", message, &out)
        JSONText.field("fix", fix, &out)
        out += Array(", \"location\" : ".utf8)
        location.writeJSON(to: &out)
        if let waiver {
            out += Array(", \"waiver\" : {".utf8)
            JSONText.field("reason", waiver.reason, &out, first: true)
            if let place = waiver.location {
                out += Array(", \"location\" : ".utf8)
                place.writeJSON(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}

private extension Location {
    func writeJSON(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        if let file { JSONText.field("file", file, &out, first: first); first = false }
        if let line { JSONText.number("line", line, &out, first: first); first = false }
        if let column { JSONText.number("column", column, &out, first: first); first = false }
        if let object { JSONText.field("object", object, &out, first: first) }
        out.append(UInt8(ascii: "}"))
    }
}

/// JSON keys, strings and numbers as UTF-8 bytes.
enum JSONText {
    static func field(_ key: String, _ value: String, _ out: inout [UInt8], first: Bool = false) {
        if !first { out += [UInt8(ascii: ","), UInt8(ascii: " ")] }
        string(key, &out)
        out += Array(" : ".utf8)
        string(value, &out)
    }

    static func number(_ key: String, _ value: Int, _ out: inout [UInt8], first: Bool) {
        if !first { out += [UInt8(ascii: ","), UInt8(ascii: " ")] }
        string(key, &out)
        out += Array(" : \(value)".utf8)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// `value` as a JSON string: quotes, backslashes and control characters escaped.
    static func string(_ value: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case ..<0x20: out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                  hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
