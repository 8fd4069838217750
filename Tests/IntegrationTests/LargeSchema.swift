import Foundation

/// A generated schema of many tables, from `scripts/bench/gen_large_schema.py` (the benchmark's own
/// generator, run with python3, which `make test` installs), plus the counts the catalog must show.
struct LargeSchema {
    struct Expected: Decodable, Equatable {
        struct Constraints: Decodable, Equatable {
            var p: Int
            var f: Int
            var u: Int
            var c: Int
        }

        /// Ordinary and partitioned tables plus partitions.
        var tables: Int
        /// Partition clones included, as `pg_index` holds them.
        var indexes: Int
        var constraints: Constraints
        var partitionedTables: Int
        var vectorColumns: Int
        /// Planted smells, counted on parents only (partitions are reported through their parent).
        var unindexedForeignKeys: Int
        var duplicateIndexes: Int
    }

    struct Size: CustomStringConvertible {
        var tables: Int
        var indexes: Int
        var foreignKeys: Int
        var partitioned: Int

        var description: String { "\(tables) tables, \(indexes) indexes, \(foreignKeys) foreign keys" }
    }

    let sql: String
    let expected: Expected

    init(_ size: Size, vector: Bool = false, seed: Int = 42) throws {
        var arguments = [CommandLineRunner.repositoryRoot + "/scripts/bench/gen_large_schema.py",
                         "--tables", "\(size.tables)", "--indexes", "\(size.indexes)", "--fks", "\(size.foreignKeys)",
                         "--partitioned", "\(size.partitioned)", "--seed", "\(seed)"]
        if vector { arguments.append("--vector") }
        sql = try Self.python(arguments)
        // The first line is `-- expected: {json}`.
        let prefix = "-- expected: "
        guard let first = sql.split(separator: "\n", maxSplits: 1).first, first.hasPrefix(prefix) else {
            throw AdminError(message: "gen_large_schema.py printed no expected counts")
        }
        expected = try JSONDecoder().decode(Expected.self, from: Data(first.dropFirst(prefix.count).utf8))
    }

    private static func python(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting: the output (megabytes) would fill the pipe and block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw AdminError(message: "gen_large_schema.py failed: \(String(decoding: stderr, as: UTF8.self))")
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}
