import Foundation

/// One database of a fleet: a connection string libpq reads (a URL, a keyword string, or
/// `service=NAME` for a line that names a libpq service).
public struct FleetTarget: Sendable, Equatable {
    public var conninfo: String

    public init(conninfo: String) {
        self.conninfo = conninfo
    }
}

/// Something the fleet could not audit or merge (a malformed `--targets` line, a report file that is
/// not one): one line of the fleet report, and a reason of its failed gate.
public struct FleetProblem: Error, Codable, Sendable, Equatable {
    /// Where it comes from: `targets.txt:4`, a report file's path.
    public var source: String
    public var message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }
}

/// The databases of a fleet run as the user listed them: `--database-url` repeated and the lines of
/// `--targets FILE`. A line that names no database is a problem of the report, never a stop: the
/// others are audited.
public struct FleetTargetList: Sendable, Equatable {
    public var targets: [FleetTarget] = []
    public var problems: [FleetProblem] = []

    public init() {}

    /// `--database-url` values, used as given (libpq's verdict on a bad one is its database's component).
    public mutating func add(urls: [String]) {
        for url in urls { append(FleetTarget(conninfo: url)) }
    }

    /// The lines of a targets file: one PostgreSQL URL, keyword string or libpq service name per
    /// line; blank lines and lines starting with `#` are skipped.
    /// - Parameter name: the file as the user named it, for `name:line` in the report.
    public mutating func add(lines text: String, from name: String) {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            switch Self.target(line) {
            case .success(let target): append(target)
            case .failure(let problem):
                problems.append(FleetProblem(source: "\(SecretMasking.quotable(name)):\(offset + 1)",
                                             message: "`\(ConnectionTarget.maskedForDisplay(line))` is not audited: \(problem.reason)"))
            }
        }
    }

    /// Reads `--targets FILE`; a file that cannot be read is the caller's error (exit 2).
    public mutating func add(file path: String) throws {
        switch RegularFile.text(path, limit: RegularFile.configurationLimit) {
        case .success(let text): add(lines: text, from: path)
        case .failure(let refusal): throw SessionError("cannot read --targets \(SecretMasking.quotable(path)): \(refusal.reason)")
        }
    }

    /// The same database listed twice is audited once.
    private mutating func append(_ target: FleetTarget) {
        if !targets.contains(target) { targets.append(target) }
    }

    struct Malformed: Error {
        var reason: String
    }

    /// What one non-blank line names, or why it names nothing libpq can use.
    static func target(_ line: String) -> Result<FleetTarget, Malformed> {
        if line.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(Malformed(reason: "it holds control characters"))
        }
        let conninfo: String
        if ConnectionTarget.isURL(line) || line.contains("=") {
            conninfo = line
        } else if line.contains("://") {
            return .failure(Malformed(reason: "not a PostgreSQL URL (postgres:// or postgresql://)"))
        } else if line.unicodeScalars.allSatisfy(isServiceNameCharacter) {
            conninfo = "service=\(line)"
        } else {
            return .failure(Malformed(reason: "neither a PostgreSQL URL, a libpq keyword string (host=… dbname=…) "
                                      + "nor a service name (letters, digits, `_`, `-`, `.`)"))
        }
        if let problem = ConnectionTarget.syntaxProblem(conninfo) { return .failure(Malformed(reason: problem)) }
        return .success(FleetTarget(conninfo: conninfo))
    }

    private static func isServiceNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-.".unicodeScalars.contains(scalar))
    }
}
