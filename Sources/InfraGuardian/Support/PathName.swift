/// The last component of a path, as `NSString.lastPathComponent` gives it for file and folder
/// paths (trailing slashes ignored, `/` for the root), without bridging through Foundation, which
/// cost about two microseconds a call: a lint run asks for every file's name.
enum PathName {
    static func last(of path: String) -> String {
        // On the UTF-8 bytes: `/` is ASCII, so the cut is always at a character boundary.
        let bytes = Array(path.utf8), slash = UInt8(ascii: "/")
        var end = bytes.count
        while end > 1, bytes[end - 1] == slash { end -= 1 }
        if end == 1, bytes[0] == slash { return "/" }
        var start = end
        while start > 0, bytes[start - 1] != slash { start -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
