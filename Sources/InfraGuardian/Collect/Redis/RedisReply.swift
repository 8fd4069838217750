import CHiredis

/// A RESP2 reply copied out of hiredis memory, so it outlives `freeReplyObject`.
public enum RedisReply: Equatable, Sendable {
    case string(String)
    case status(String)
    case integer(Int64)
    case array([RedisReply])
    /// Named `null` because `.nil` would read ambiguously next to Optional's `nil`.
    case null
    case error(String)

    init(_ reply: redisReply) {
        switch reply.type {
        case REDIS_REPLY_STRING: self = .string(Self.text(reply))
        case REDIS_REPLY_STATUS: self = .status(Self.text(reply))
        case REDIS_REPLY_ERROR: self = .error(Self.text(reply))
        case REDIS_REPLY_INTEGER: self = .integer(Int64(reply.integer))
        case REDIS_REPLY_ARRAY:
            let elements = (0..<Int(reply.elements)).map { index -> RedisReply in
                reply.element?[index].map { RedisReply($0.pointee) } ?? .null
            }
            self = .array(elements)
        default: self = .null
        }
    }

    /// Bulk strings carry a length; bytes that are not UTF-8 are replaced rather than dropped.
    private static func text(_ reply: redisReply) -> String {
        guard let pointer = reply.str else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: Int(reply.len)), as: UTF8.self)
    }

    /// The text of a string or status reply.
    public var text: String? {
        switch self {
        case let .string(value), let .status(value): return value
        default: return nil
        }
    }
}
