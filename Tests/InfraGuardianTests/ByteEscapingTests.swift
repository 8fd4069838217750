import Testing
@testable import InfraGuardian

/// The byte-level escapers give what the Character- and scalar-level code they replaced gave.
@Suite struct ByteEscapingTests {
    static let samples = [
        "", "plain", "a\r\nb", "\n\nx\n", "é\u{2028}ü\u{2029}", "one\u{85}two", "x\u{FFFE}y\u{FFFF}z\u{FFFD}",
        "\u{1}bell\u{7}", "a&b<'\">c", "tab\there", "🩺 patient\nnotes", "e\u{301}\nx", "\u{0B}\u{0C}vt ff",
        "CREATE INDEX CONCURRENTLY idx ON leads (phone_hash);\n  -- migrate:down\n\tDROP INDEX idx;\r\n",
    ]

    @Test(arguments: samples) func oneLineMatchesSplittingByCharacter(_ text: String) {
        #expect(TextFindingsRenderer.oneLine(text)
                == ControlCharacters.escaped(text.split(whereSeparator: \.isNewline).joined(separator: " ")))
    }

    @Test(arguments: samples) func xmlEscapingMatchesTheScalarVersion(_ text: String) {
        for attribute in [true, false] {
            #expect(XMLEscaping.escape(text, attribute: attribute) == Self.scalarEscape(text, attribute: attribute))
        }
    }

    /// The scalar-by-scalar escaper this replaced.
    static func scalarEscape(_ text: String, attribute: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += attribute ? "&#10;" : "\n"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default:
                switch scalar.value {
                case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: out.unicodeScalars.append(scalar)
                default: break
                }
            }
        }
        return out
    }
}
