/// Writes a `LintReport` as JSON (schema version 2, see `RulesTable`) into bytes:
///
///     {"schemaVersion": 2, "files": N, "rules": {ID: RuleEntry...}, "findings": [...], "gate": {...}}
///
/// `rules` holds each rule with at least one finding once, sorted by id; a finding has `fix` only
/// when it differs from its rule's generic fix. `JSONDecoder` reads it back into `LintReport` (a test
/// checks the round trip). Written piece by piece, so a large report (33,000 findings) is never held
/// whole before it is written out.
public enum FindingsJSONWriter {
    /// - Parameter rules: the descriptions of the rules that may appear (the session's rules); a
    ///   finding of a rule not among them keeps its fix and gets no `rules` entry.
    public static func render(_ report: LintReport, rules: [RuleDescription]) -> String {
        var bytes: [UInt8] = []
        write(report, rules: rules) { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The JSON as consecutive UTF-8 pieces, handed to `consume` in order (the findings 1,024 at a time).
    public static func write(_ report: LintReport, rules: [RuleDescription], to consume: ([UInt8]) -> Void) {
        let table = RulesTable.entries(for: report.findings, rules: rules)
        var out = Array("{\n  \"schemaVersion\" : \(RulesTable.schemaVersion),\n  \"files\" : \(report.files),\n  \"rules\" : {".utf8)
        for (index, id) in table.keys.sorted().enumerated() {
            out += Array((index == 0 ? "\n    " : ",\n    ").utf8)
            JSONText.string(id, &out)
            out += Array(" : {".utf8)
            table[id]?.writeJSON(to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out += Array((table.isEmpty ? "},\n" : "\n  },\n").utf8)
        out += Array("  \"findings\" : [".utf8)
        consume(out)
        out.removeAll(keepingCapacity: true)
        // Pieces of `piece` findings rendered on every core, a few at a time (memory stays bounded),
        // handed on in order.
        let findings = report.findings, piece = 1024, batch = piece * 8
        for batchStart in stride(from: 0, to: findings.count, by: batch) {
            let batchEnd = min(findings.count, batchStart + batch)
            let pieces = Parallel.map((batchEnd - batchStart + piece - 1) / piece) { number in
                var bytes: [UInt8] = []
                let lower = batchStart + number * piece
                for index in lower..<min(batchEnd, lower + piece) {
                    bytes += index == 0 ? firstFindingOpen : nextFindingOpen
                    findings[index].writeJSON(fix: RulesTable.concreteFix(findings[index], in: table), to: &bytes)
                    bytes.append(UInt8(ascii: "}"))
                }
                return bytes
            }
            pieces.forEach(consume)
        }
        out += Array((report.findings.isEmpty ? "],\n" : "\n  ],\n").utf8)
        out += Array("  \"gate\" : {\"passed\" : \(report.gate.passed), \"reasons\" : [".utf8)
        for (index, reason) in report.gate.reasons.enumerated() {
            if index > 0 { out += Array(", ".utf8) }
            JSONText.string(reason, &out)
        }
        out += Array("]}".utf8)
        if let baseline = report.baseline, let text = try? JSONRenderer.render(baseline) {
            out += Array(",\n  \"baseline\" : ".utf8)
            out += Array(text.split(separator: "\n").joined(separator: "\n  ").utf8)
        }
        out += Array("\n}\n".utf8)
        consume(out)
    }

    private static let firstFindingOpen = Array("\n    {".utf8)
    private static let nextFindingOpen = Array(",\n    {".utf8)
}

/// Reads both layouts: version 2 (fixes filled from `rules`) and version 1 (every finding has its fix).
/// Encoding writes version 2 with an empty `rules` table, every fix kept: a `LintReport` does not
/// hold its rules' descriptions (`FindingsJSONWriter` writes the table).
extension LintReport {
    private enum CodingKeys: String, CodingKey {
        case schemaVersion, files, rules, findings, gate, baseline
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try RulesTable.checkVersion(container, key: .schemaVersion)
        let rules = try container.decodeIfPresent([String: RuleEntry].self, forKey: .rules) ?? [:]
        let path = container.codingPath + [CodingKeys.findings]
        let findings = try container.decode([FindingRecord].self, forKey: .findings).map { record in
            try record.finding(rules: rules, codingPath: path)
        }
        self.init(files: try container.decode(Int.self, forKey: .files), findings: findings,
                  gate: try container.decode(GateVerdict.self, forKey: .gate),
                  baseline: try container.decodeIfPresent(BaselineOutcome.self, forKey: .baseline))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(RulesTable.schemaVersion, forKey: .schemaVersion)
        try container.encode(files, forKey: .files)
        try container.encode([String: RuleEntry](), forKey: .rules)
        try container.encode(findings.map { FindingRecord($0, rules: [:]) }, forKey: .findings)
        try container.encode(gate, forKey: .gate)
        try container.encodeIfPresent(baseline, forKey: .baseline)
    }
}

private extension RuleEntry {
    func writeJSON(to out: inout [UInt8]) {
        JSONText.field("category", category.rawValue, &out, first: true)
        JSONText.field("severity", severity.rawValue, &out)
        JSONText.field("summary", summary, &out)
        JSONText.field("why", why, &out)
        JSONText.field("fix", fix, &out)
    }
}

private extension Finding {
    /// - Parameter fix: the concrete fix, nil when the finding has its rule's generic one.
    func writeJSON(fix: String?, to out: inout [UInt8]) {
        JSONText.field("ruleID", ruleID, &out, first: true)
        JSONText.field("category", category.rawValue, &out)
        JSONText.field("severity", severity.rawValue, &out)
        JSONText.field("message", message, &out)
        if let fix { JSONText.field("fix", fix, &out) }
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
        if let exemption { JSONText.field("exemption", exemption.rawValue, &out) }
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
        // Native strings are contiguous: runs without escapes are appended whole.
        let appended: Void? = value.utf8.withContiguousStorageIfAvailable { (bytes: UnsafeBufferPointer<UInt8>) -> Void in
            var start = 0
            for index in bytes.indices where needsEscape(bytes[index]) {
                out.append(contentsOf: bytes[start..<index])
                escape(bytes[index], &out)
                start = index + 1
            }
            out.append(contentsOf: bytes[start...])
        }
        if appended == nil {
            for byte in value.utf8 {
                if needsEscape(byte) { escape(byte, &out) } else { out.append(byte) }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func escape(_ byte: UInt8, _ out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        default: out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                         hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
        }
    }

}
