import CLibPQ

extension ConnectionTarget {
    /// Why libpq would refuse `conninfo` before connecting anywhere (a URL or keyword string it cannot
    /// parse), in libpq's words with any password scrubbed; nil when it parses. Where the server is,
    /// and whether it answers, is for the connection to find out.
    static func syntaxProblem(_ conninfo: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            let message = error.map { String(cString: $0) } ?? "libpq cannot read it"
            if let error { PQfreemem(error) }
            return PostgresError.clean(message, redacting: secrets(in: conninfo))
        }
        PQconninfoFree(options)
        return nil
    }
}
