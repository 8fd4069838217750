#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shell-style pattern expansion for paths given in quotes (CI configs often pass them unexpanded).
enum Glob {
    static func expand(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { String(cString: $0) }
        }.sorted()
    }

    /// Whether a `/`-separated relative path matches a pattern: `*` and `?` within one segment,
    /// `**` for any number of segments (`packages/**/ports/*.ts`).
    static func matches(_ pattern: String, _ path: String) -> Bool {
        matches(pattern.split(separator: "/").map(String.init)[...], path.split(separator: "/").map(String.init)[...])
    }

    private static func matches(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            for skip in 0...path.count where matches(rest, path.dropFirst(skip)) { return true }
            return false
        }
        guard let segment = path.first, fnmatch(first, segment, 0) == 0 else { return false }
        return matches(pattern.dropFirst(), path.dropFirst())
    }
}
