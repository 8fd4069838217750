import Foundation

/// The parts of an `EXPLAIN (FORMAT JSON, VERBOSE)` plan that index advice needs.
struct QueryPlan: Equatable {
    /// A sequential scan with a filter: where an index could help.
    struct FilteredScan: Equatable {
        var schema: String
        var table: String
        /// Columns of this table compared in the filter, equality comparisons first.
        var columns: [String]
    }

    var totalCost: Double
    var scans: [FilteredScan]
    /// Every index any node of the plan uses (hypothetical ones are named `<oid>btree_...`).
    var indexNames: Set<String>

    /// Reads EXPLAIN's JSON (an array of one object with a "Plan" tree); nil when it is not one.
    init?(json text: String) {
        guard let data = text.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]],
              let root = array.first?["Plan"] as? [String: Any],
              let cost = Self.number(root["Total Cost"]) else { return nil }
        totalCost = cost
        scans = []
        indexNames = []
        visit(root)
    }

    init(totalCost: Double, scans: [FilteredScan] = [], indexNames: Set<String> = []) {
        self.totalCost = totalCost
        self.scans = scans
        self.indexNames = indexNames
    }

    private mutating func visit(_ node: [String: Any]) {
        if let index = node["Index Name"] as? String { indexNames.insert(index) }
        if node["Node Type"] as? String == "Seq Scan", let filter = node["Filter"] as? String,
           let table = node["Relation Name"] as? String, let schema = node["Schema"] as? String {
            let alias = node["Alias"] as? String ?? table
            let columns = Self.comparedColumns(in: filter, alias: alias)
            if !columns.isEmpty { scans.append(FilteredScan(schema: schema, table: table, columns: columns)) }
        }
        for child in node["Plans"] as? [[String: Any]] ?? [] { visit(child) }
    }

    private static func number(_ value: Any?) -> Double? {
        (value as? NSNumber)?.doubleValue ?? (value as? Double)
    }

    /// Columns of `alias` compared with `=`, `<`, `<=`, `>`, `>=` (or `= ANY`), equality first.
    /// VERBOSE plans qualify every column with its relation's alias, e.g. `((l.phone)::text = $1)`.
    static func comparedColumns(in filter: String, alias: String) -> [String] {
        let aliasPattern = [alias, quoteIdentifier(alias)].map(NSRegularExpression.escapedPattern(for:))
            .joined(separator: "|")
        let pattern = "(?<![A-Za-z0-9_$\"])(?:\(aliasPattern))\\.(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)"
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let text = filter as NSString
        var equality: [String] = []
        var range: [String] = []
        for match in regex.matches(in: filter, range: NSRange(location: 0, length: text.length)) {
            let token = text.substring(with: match.range(at: 1))
            let column = token.hasPrefix("\"")
                ? String(token.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") : token
            let after = text.substring(from: match.range.location + match.range.length)
            let before = text.substring(to: match.range.location)
            guard let op = operatorAfter(after) ?? operatorBefore(before) else { continue }
            if op == "=" {
                if !equality.contains(column) { equality.append(column) }
            } else if !range.contains(column) {
                range.append(column)
            }
        }
        return equality + range.filter { !equality.contains($0) }
    }

    private static let comparison = "(=|<>|<=|>=|<|>)"

    /// `col)::text = $1`: skips closing parentheses and casts, then reads the operator.
    private static func operatorAfter(_ text: String) -> String? {
        firstGroup("^(?:\\s|\\)|::[A-Za-z_][A-Za-z0-9_ ]*(?:\\[\\])?)*\(comparison)(?![=>])", in: text)
            .flatMap(useful)
    }

    /// `$1 < (col`: the operator just before the column.
    private static func operatorBefore(_ text: String) -> String? {
        firstGroup("\(comparison)(?:\\s|\\()*$", in: text).flatMap(useful)
    }

    /// `<>` cannot use a btree index; the others can.
    private static func useful(_ op: String) -> String? { op == "<>" ? nil : op }

    private static func firstGroup(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)),
              match.numberOfRanges > 1 else { return nil }
        return (text as NSString).substring(with: match.range(at: 1))
    }
}
