import Foundation

/// JUnit XML for CI test viewers (GitHub test reporters, GitLab, Jenkins, Azure DevOps).
///
/// One `<testsuite>` per file or database object, in order of first appearance: a migration author
/// looks for "my file", and viewers fold suites, so a suite per file reads like a test file.
/// Findings with neither file nor object go to a suite named after the tool.
/// A finding that fails the gate (unwaived, severity in `failOn`) is a `<failure>`; a waived one is
/// `<skipped>`; any other finding is a passing test case whose details are in `<system-out>`, so the
/// failure count equals what the gate counts. An empty run has one passing test case.
public enum JUnitRenderer {
    public static func render(findings: [Finding], rules: [RuleDescription], suiteName: String = "infra-guardian",
                              failOn: Set<Severity> = GatePolicy().failOn) -> String {
        let summaries = Dictionary(rules.map { ($0.id, $0.summary) }, uniquingKeysWith: { first, _ in first })
        var order: [String] = []
        var groups: [String: [Finding]] = [:]
        for finding in findings {
            let key = group(finding, suiteName: suiteName)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(finding)
        }

        var suites: [String] = []
        for key in order {
            let members = groups[key] ?? []
            let cases = members.map { testCase($0, classname: key, summary: summaries[$0.ruleID], failOn: failOn) }
            suites.append(suite(name: key, tests: members.count,
                                failures: members.filter { isFailure($0, failOn) }.count,
                                skipped: members.filter { !$0.isActive }.count, cases: cases))
        }
        if suites.isEmpty {
            suites.append(suite(name: suiteName, tests: 1, failures: 0, skipped: 0,
                                cases: ["    <testcase classname=\"\(XMLEscaping.escape(suiteName))\" name=\"no findings\"/>"]))
        }
        let tests = max(findings.count, 1)
        let failures = findings.filter { isFailure($0, failOn) }.count
        let skipped = findings.filter { !$0.isActive }.count
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"\(XMLEscaping.escape(suiteName))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\">\n"
            + suites.joined(separator: "\n") + "\n</testsuites>\n"
    }

    static func isFailure(_ finding: Finding, _ failOn: Set<Severity>) -> Bool {
        finding.isActive && failOn.contains(finding.severity)
    }

    static func group(_ finding: Finding, suiteName: String) -> String {
        if let file = finding.location.file, !file.isEmpty { return ControlCharacters.escaped(FindingPath.normalized(file)) }
        if let object = finding.location.object, !object.isEmpty { return object }
        return suiteName
    }

    private static func suite(name: String, tests: Int, failures: Int, skipped: Int, cases: [String]) -> String {
        "  <testsuite name=\"\(XMLEscaping.escape(name))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\">\n"
            + cases.joined(separator: "\n") + "\n  </testsuite>"
    }

    private static func testCase(_ finding: Finding, classname: String, summary: String?, failOn: Set<Severity>) -> String {
        var name = finding.ruleID
        if let line = finding.location.line { name += " at line \(line)" }
        let open = "    <testcase classname=\"\(XMLEscaping.escape(classname))\" name=\"\(XMLEscaping.escape(name))\">"
        let body: String
        if let note = finding.notGatingNote {
            body = "      <skipped message=\"\(XMLEscaping.escape(note))\"/>"
        } else if isFailure(finding, failOn) {
            body = "      <failure message=\"\(XMLEscaping.escape(finding.message))\" type=\"\(finding.severity.rawValue)\">"
                + XMLEscaping.escape(details(finding, summary: summary), attribute: false) + "</failure>"
        } else {
            body = "      <system-out>\(XMLEscaping.escape(details(finding, summary: summary), attribute: false))</system-out>"
        }
        return open + "\n" + body + "\n    </testcase>"
    }

    private static func details(_ finding: Finding, summary: String?) -> String {
        var lines = ["\(finding.severity.rawValue) \(finding.ruleID) (\(finding.category.rawValue))"]
        let place = finding.location.description
        if !place.isEmpty { lines.append("Location: \(place)") }
        if let summary, !summary.isEmpty { lines.append("Rule: \(summary)") }
        // A message may quote a file name: its control characters escaped, the message's own lines kept.
        lines.append(ControlCharacters.escaped(finding.message))
        lines.append("Fix: \(finding.fix)")
        return lines.joined(separator: "\n")
    }
}

/// XML 1.0 text and attribute escaping.
enum XMLEscaping {
    /// Escapes markup characters, keeps line breaks in attributes as character references (a parser
    /// would otherwise normalise them to spaces) and drops characters XML 1.0 cannot carry at all.
    static func escape(_ text: String, attribute: Bool = true) -> String {
        // On UTF-8 bytes (appending scalar by scalar to a String was half of `lint --format junit`):
        // the only non-ASCII characters XML 1.0 refuses are U+FFFE and U+FFFF (EF BF BE/BF).
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "\""): out += Array("&quot;".utf8)
            case UInt8(ascii: "'"): out += Array("&apos;".utf8)
            case 0x0A: out += attribute ? Array("&#10;".utf8) : [0x0A]
            case 0x0D: out += Array("&#13;".utf8)
            case 0x09: out += Array("&#9;".utf8)
            case ..<0x20: continue
            case 0xEF where index + 1 < bytes.count && bytes[index] == 0xBF && (bytes[index + 1] == 0xBE || bytes[index + 1] == 0xBF):
                index += 2
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
