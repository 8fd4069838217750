/// The one escaper for text that came from outside (file names, messages quoting input) on its way
/// to a terminal, a log or a Markdown page: C0 controls, DEL and C1 controls are written as `\u{1B}`,
/// so an ANSI escape sequence or a newline in a file name cannot recolour a terminal, forge a line
/// of output or a GitHub annotation. `SecretMasking.quotable` uses it too.
public enum ControlCharacters {
    /// `text` with every control character escaped, except those `keeping` accepts (a renderer
    /// that encodes newlines its own way keeps them).
    public static func escaped(_ text: String, keeping: (Unicode.Scalar) -> Bool = { _ in false }) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && !keeping($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar), !keeping(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value)
    }

    /// Newlines and carriage returns, for `keeping:`.
    public static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool { scalar == "\n" || scalar == "\r" }
}
