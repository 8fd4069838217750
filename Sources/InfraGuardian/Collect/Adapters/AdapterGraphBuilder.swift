/// Builds the `AdapterGraph` of a source tree: adapters found by what they do (SQL sent through
/// `.query(`, a pooled `connect()`, Redis commands, a database driver imported), the ports they
/// implement resolved through imports and barrels to their declarations, and the tests that import
/// or name them.
enum AdapterGraphBuilder {
    static func build(root: String) -> AdapterGraph {
        build(SourceTree.read(root: root), root: root)
    }

    /// The graph of in-memory files (`path`, text): rule examples and tests.
    static func build(files: [(String, String)], packages: [SourceTree.Package] = []) -> AdapterGraph {
        var tree = SourceTree()
        tree.files = files.map { SourceTree.File(path: $0.0, text: $0.1) }
        tree.packages = packages
        return build(tree, root: "")
    }

    static func build(_ tree: SourceTree, root: String) -> AdapterGraph {
        var graph = AdapterGraph(root: root)
        graph.notes = tree.notes
        let modules = Parallel.map(tree.files.count) { TypeScriptModule(tree.files[$0].text) }
        let paths = tree.files.map(\.path)
        var moduleAt: [String: Int] = [:]
        for (index, path) in paths.enumerated() { moduleAt[path] = index }
        let resolver = ModuleResolver(files: Set(paths), packages: tree.packages)
        let isTest = paths.map(Self.isTestFile)
        graph.testFiles = isTest.filter { $0 }.count

        // Adapters: classes outside tests that do persistence.
        for (index, module) in modules.enumerated() where !isTest[index] {
            for declaration in module.declarations where declaration.kind == .class {
                guard let kind = persistenceKind(module, declaration) else { continue }
                let ports = declaration.implements.map { name in
                    AdapterGraph.PortReference(name: name, file: declaringFile(of: name, in: index, modules: modules, paths: paths,
                                                                                 moduleAt: moduleAt, resolver: resolver))
                }
                graph.adapters.append(AdapterGraph.Adapter(name: declaration.name, file: paths[index], line: declaration.line,
                                                           kind: kind, ports: ports, entity: entity(declaration.name), tests: []))
                graph.facts += SourceFacts.facts(module, declaration, file: paths[index], kind: kind)
            }
        }
        // Ports: interfaces in ports/ or repositories/ folders, and whatever an adapter implements.
        var portKeys = Set<String>()
        for (index, module) in modules.enumerated() where !isTest[index] {
            let inPortFolder = paths[index].split(separator: "/").contains { $0 == "ports" || $0 == "repositories" }
            for declaration in module.declarations where declaration.kind == .interface || declaration.kind == .typeAlias {
                let implemented = graph.adapters.contains { $0.ports.contains { $0.name == declaration.name && $0.file == paths[index] } }
                let operations = declaration.kind == .interface && declaration.body.map(module.declaresMethods) == true
                guard (inPortFolder && operations && declaration.exported) || implemented,
                      portKeys.insert("\(paths[index])#\(declaration.name)").inserted else { continue }
                graph.ports.append(AdapterGraph.Port(name: declaration.name, file: paths[index], line: declaration.line,
                                                     entity: entity(declaration.name)))
            }
        }
        // Which classes implement each port: any class, persistence or not (an HTTP client implements a port too).
        var implementers: [String: [String]] = [:]
        for (index, module) in modules.enumerated() where !isTest[index] {
            for declaration in module.declarations where declaration.kind == .class {
                for name in declaration.implements {
                    guard let file = declaringFile(of: name, in: index, modules: modules, paths: paths, moduleAt: moduleAt,
                                                   resolver: resolver) else { continue }
                    implementers["\(file)#\(name.split(separator: ".").last ?? "")", default: []].append("\(paths[index])#\(declaration.name)")
                }
            }
        }
        for position in graph.ports.indices {
            graph.ports[position].implementedBy = implementers["\(graph.ports[position].file)#\(graph.ports[position].name)"] ?? []
        }
        // Tests: a test covers an adapter when it imports the adapter's module or names its class.
        for (index, module) in modules.enumerated() where isTest[index] {
            let imported = Set(module.imports.compactMap { resolver.resolve($0.source, from: paths[index]) })
            let names = Set(module.tokens.indices.filter { module.tokens[$0].kind == .identifier }.map { module.text($0) })
            for position in graph.adapters.indices where imported.contains(graph.adapters[position].file) || names.contains(graph.adapters[position].name) {
                graph.adapters[position].tests.append(paths[index])
            }
        }
        return graph
    }

    /// `*.test.ts`, `*.spec.ts` (any TypeScript extension), or anything under `__tests__/`.
    static func isTestFile(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let stem = SourceTree.extensions.first(where: name.hasSuffix).map { String(name.dropLast($0.count)) } ?? name
        return stem.hasSuffix(".test") || stem.hasSuffix(".spec") || stem.hasSuffix(".integration.test")
            || path.split(separator: "/").contains("__tests__")
    }

    private static let postgresDrivers: Set<String> = ["pg", "pg-pool", "postgres", "@neondatabase/serverless", "@vercel/postgres"]
    private static let redisDrivers: Set<String> = ["ioredis", "redis", "@redis/client", "@upstash/redis"]
    private static let redisCommands: Set<String> = ["hset", "hget", "hgetall", "setex", "expire", "pexpire", "zadd", "xadd",
                                                     "sadd", "srem", "lpush", "rpush", "incr", "ttl", "eval", "evalsha"]
    private static let sqlStarts = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "CREATE", "ALTER", "DROP", "BEGIN",
                                    "COMMIT", "ROLLBACK", "SET", "LOCK", "TRUNCATE", "MERGE", "COPY"]

    /// What a class does with a database, from its body (and the drivers its file imports); nil
    /// for a class that does not touch one.
    static func persistenceKind(_ module: TypeScriptModule, _ declaration: TypeScriptModule.Declaration) -> AdapterGraph.AdapterKind? {
        guard let body = declaration.body else { return nil }
        let sources = Set(module.imports.map(\.source))
        var sendsSQL = false, usesVectorOperators = false, usesRedis = false
        for index in body {
            let token = module.tokens[index]
            switch token.kind {
            case .string, .template, .templateHead:
                let text = module.text(index).dropFirst().uppercased().drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "(" }
                if sqlStarts.contains(where: { text.hasPrefix($0 + " ") || text.hasPrefix($0 + "\n") || text == $0 }) { sendsSQL = true }
                if text.contains("<=>") || text.contains("<->") || text.contains("<#>") || text.contains("::VECTOR") { usesVectorOperators = true }
            case .identifier where index > body.lowerBound && module.text(index - 1) == ".":
                let name = module.text(index)
                if redisCommands.contains(name.lowercased()), index + 1 < module.tokens.count, module.text(index + 1) == "(" { usesRedis = true }
            default:
                break
            }
        }
        if usesVectorOperators && sendsSQL { return .pgvector }
        if sendsSQL || !sources.isDisjoint(with: postgresDrivers) && mentions(module, body, ["query", "connect"]) { return .postgres }
        if usesRedis || !sources.isDisjoint(with: redisDrivers) && mentions(module, body, ["get", "set", "del"]) { return .redis }
        return nil
    }

    /// `.name(` for one of the names inside the range.
    private static func mentions(_ module: TypeScriptModule, _ range: Range<Int>, _ names: Set<String>) -> Bool {
        range.contains { index in
            index > range.lowerBound && module.tokens[index].kind == .identifier && names.contains(module.text(index))
                && module.text(index - 1) == "." && index + 1 < module.tokens.count && ["(", "<"].contains(module.text(index + 1))
        }
    }

    /// The file declaring `name` as seen from module `index`: its own declaration, or the import that
    /// brings it in, followed through barrels (`export { X } from`, `export * from`).
    static func declaringFile(of name: String, in index: Int, modules: [TypeScriptModule], paths: [String],
                              moduleAt: [String: Int], resolver: ModuleResolver) -> String? {
        let plain = String(name.split(separator: ".").last ?? Substring(name))
        if modules[index].declarations.contains(where: { $0.name == plain && $0.kind != .class && $0.kind != .function }) { return paths[index] }
        for declaration in modules[index].imports {
            guard let imported = declaration.names.first(where: { $0.local == plain }),
                  let target = resolver.resolve(declaration.source, from: paths[index]) else { continue }
            return follow(imported.imported, from: target, modules: modules, moduleAt: moduleAt, resolver: resolver, depth: 0)
        }
        return nil
    }

    private static func follow(_ name: String, from path: String, modules: [TypeScriptModule], moduleAt: [String: Int],
                               resolver: ModuleResolver, depth: Int) -> String? {
        guard depth < 12, let index = moduleAt[path] else { return nil }
        let module = modules[index]
        if module.declarations.contains(where: { $0.name == name }) { return path }
        for reExport in module.reExports {
            guard let target = resolver.resolve(reExport.source, from: path) else { continue }
            if let named = reExport.names.first(where: { $0.local == name }) {
                return follow(named.imported, from: target, modules: modules, moduleAt: moduleAt, resolver: resolver, depth: depth + 1)
            }
            if reExport.all, let found = follow(name, from: target, modules: modules, moduleAt: moduleAt, resolver: resolver, depth: depth + 1) {
                return found
            }
        }
        // `import { X } from './x.js'; export { X };`
        for declaration in module.imports {
            guard let imported = declaration.names.first(where: { $0.local == name }),
                  let target = resolver.resolve(declaration.source, from: path) else { continue }
            return follow(imported.imported, from: target, modules: modules, moduleAt: moduleAt, resolver: resolver, depth: depth + 1)
        }
        return nil
    }

    /// `PostgresLeadRepository` → `Lead`, `ILeadRepository` → `Lead`, `EmbeddingCacheRedis` → `EmbeddingCache`.
    static func entity(_ name: String) -> String {
        var stem = name
        if stem.count > 2, stem.hasPrefix("I"), stem.dropFirst().first?.isUppercase == true { stem.removeFirst() }
        let suffixes = ["RepositoryPort", "Repository", "Port", "Adapter", "Store", "Service", "Gateway", "Redis", "Postgres"]
        // A technology prefix, unless only a role word would remain (`PgVectorService` is about vectors).
        let prefixes = [("Postgres", ""), ("Pgvector", "Vector"), ("PgVector", "Vector"), ("Pg", ""), ("Redis", ""),
                        ("Supabase", ""), ("Sql", ""), ("Kysely", ""), ("Prisma", ""), ("Drizzle", "")]
        for (prefix, noun) in prefixes where stem.hasPrefix(prefix) && stem.count > prefix.count {
            let rest = String(stem.dropFirst(prefix.count))
            stem = suffixes.contains(rest) && !noun.isEmpty ? noun : rest
            break
        }
        for suffix in suffixes where stem.hasSuffix(suffix) && stem.count > suffix.count {
            stem.removeLast(suffix.count)
            break
        }
        return stem
    }
}
