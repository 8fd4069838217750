/// A persistence adapter no test imports or names.
struct AdapterMissingTest: Rule {
    static let description = RuleDescription(
        id: "adapter-missing-test", category: .adapter, severity: .medium,
        summary: "A persistence adapter has no test.",
        finds: "an adapter that no `*.test.ts`, `*.spec.ts` or `__tests__/` file imports or names",
        why: """
        Adapters hold the SQL and the transaction and connection handling: the code where a mapping \
        mistake, a missing ROLLBACK or a leaked client loses data. Without a test, a schema change or a \
        driver upgrade breaks it in production first.
        """,
        fix: """
        Add a test next to the others that imports the adapter, e.g. packages/infrastructure/test/postgres-case-repository.test.ts:
          import { PostgresCaseRepository } from '../src/adapters/postgres-case-repository.js';
        covering its queries (a fake pool) and, in an integration suite, a real database.
        """,
        bad: [.source([AdapterExamples.port, AdapterExamples.adapter], at: .line(3))],
        good: [.source([AdapterExamples.port, AdapterExamples.adapter, AdapterExamples.test])])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let graph = input.adapters else { return [] }
        return graph.adapters.filter(\.tests.isEmpty).map { adapter in
            let (testFile, importPath) = Self.suggestedTest(for: adapter, in: graph)
            return finding("\(adapter.name) has no test: no test file imports \(adapter.file) or names the class.",
                           at: Location(file: graph.displayPath(adapter.file), line: adapter.line),
                           fix: "Add \(graph.displayPath(testFile)) with `import { \(adapter.name) } from '\(importPath)';` and tests of "
                               + "each query against a fake pool, then an integration test against a real database.")
        }
    }

    /// Where the tree keeps the tests of the adapters next to this one (their test's folder), else a
    /// `__tests__` folder beside it; and the ESM import path from there.
    static func suggestedTest(for adapter: AdapterGraph.Adapter, in graph: AdapterGraph) -> (file: String, importPath: String) {
        let folder = Self.folder(adapter.file)
        let name = adapter.file.split(separator: "/").last.map(String.init) ?? adapter.file
        let module = SourceTree.extensions.first(where: name.hasSuffix).map { String(name.dropLast($0.count)) } ?? name
        let neighbourTest = graph.adapters.first { $0.name != adapter.name && Self.folder($0.file) == folder && !$0.tests.isEmpty }?.tests.first
        let testFolder = neighbourTest.map(Self.folder) ?? folder + "/__tests__"
        var importPath = relative(from: testFolder, to: folder + "/" + module + ".js")
        if !importPath.hasPrefix(".") { importPath = "./" + importPath }
        return (testFolder + "/" + module + ".test.ts", importPath)
    }

    private static func folder(_ path: String) -> String {
        path.split(separator: "/").dropLast().joined(separator: "/")
    }

    /// `a/test` → `a/src/x.js` is `../src/x.js`.
    private static func relative(from folder: String, to file: String) -> String {
        let from = folder.split(separator: "/"), to = file.split(separator: "/")
        var common = 0
        while common < from.count, common < to.count - 1, from[common] == to[common] { common += 1 }
        let up = Array(repeating: "..", count: from.count - common)
        return (up + to[common...].map(String.init)).joined(separator: "/")
    }
}
