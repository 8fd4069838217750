enum LineStarts {
    /// Offsets where lines start: 0 and the byte after each newline.
    static func of(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == 0x0A {
            starts.append(offset + 1)
        }
        return starts
    }
}
