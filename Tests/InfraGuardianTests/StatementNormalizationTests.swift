import Testing
@testable import InfraGuardian

/// Baseline fingerprints hash `FileStatements.normalized`: its byte-by-byte path must give exactly
/// what the Character path gives, or every recorded baseline would stop matching.
@Suite struct StatementNormalizationTests {
    @Test func theFastPathMatchesTheCharacterPath() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["ALTER", "TABLE", "leads", " ", "  ", "\t", "\n", "\n\n", "-- note", "--", "x--y", "'a  b'", ";", "(", ")", "\n  -- c\n"]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...14, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(NormalizedStatement.text(text) == NormalizedStatement.byCharacters(text), "\(text.debugDescription)")
        }
        // Text the fast path leaves to Characters: CRLF and non-ASCII.
        for text in ["A\r\nB", "-- é\nSELECT  1", "SELECT 'é'  \t 1"] {
            #expect(NormalizedStatement.text(text) == NormalizedStatement.byCharacters(text))
        }
    }
}
