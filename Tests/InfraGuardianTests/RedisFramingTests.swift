import Testing
@testable import InfraGuardian

/// Pipelined commands are framed by hand (one buffer per batch): the bytes must be what hiredis
/// would write, for any key.
@Suite("Redis command framing")
struct RedisFramingTests {
    static func frame(_ commands: [[[UInt8]]]) -> String { String(decoding: RedisConnection.frame(commands), as: UTF8.self) }

    @Test func framesArraysOfBulkStrings() {
        #expect(Self.frame([[Array("TYPE".utf8), Array("sess:1".utf8)]]) == "*2\r\n$4\r\nTYPE\r\n$6\r\nsess:1\r\n")
        #expect(Self.frame([[Array("MEMORY".utf8), Array("USAGE".utf8), Array("k".utf8)], [Array("PTTL".utf8), Array("k".utf8)]])
            == "*3\r\n$6\r\nMEMORY\r\n$5\r\nUSAGE\r\n$1\r\nk\r\n*2\r\n$4\r\nPTTL\r\n$1\r\nk\r\n")
        #expect(RedisConnection.frame([]).isEmpty)
    }

    @Test(arguments: [0, 1, 9, 10, 99, 100, 101, 1_000, 12_345, 100_000])
    func lengthsOfEveryWidth(length: Int) {
        let framed = Self.frame([[Array("GET".utf8), [UInt8](repeating: UInt8(ascii: "a"), count: length)]])
        #expect(framed == "*2\r\n$3\r\nGET\r\n$\(length)\r\n" + String(repeating: "a", count: length) + "\r\n")
    }

    @Test func keysAreFramedByLengthNotByContent() {
        let key: [UInt8] = Array("cache:\r\n*1\r\n$4\r\nPING".utf8) + [0xff, 0x00]
        let framed = RedisConnection.frame([[Array("TYPE".utf8), key]])
        #expect(framed == Array("*2\r\n$4\r\nTYPE\r\n$22\r\n".utf8) + key + [13, 10])
    }
}
