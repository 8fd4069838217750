/// Builds the `AdapterGraph` of a source tree: adapters found by what they do (SQL sent through
/// `.query(`, a pooled `connect()`, Redis commands, a database driver imported), the ports they
/// implement resolved through imports and barrels to their declarations, and the tests that import
/// or name them.
enum AdapterGraphBuilder {
    static func build(root: String, settings: AdapterSettings = AdapterSettings()) -> AdapterGraph {
        build(SourceTree.read(root: root), root: root, settings: settings)
    }

    /// The graph of in-memory files (`path`, text): rule examples and tests.
    static func build(files: [(String, String)], packages: [SourceTree.Package] = []) -> AdapterGraph {
        var tree = SourceTree()
        tree.files = files.map { SourceTree.File(path: $0.0, text: $0.1) }
        tree.packages = packages
        return build(tree, root: "")
    }

    static func build(_ tree: SourceTree, root: String, settings: AdapterSettings = AdapterSettings()) -> AdapterGraph {
        var graph = AdapterGraph(root: root)
        graph.notes = tree.notes
        let modules = Parallel.map(tree.files.count) { TypeScriptModule(tree.files[$0].text) }
        let paths = tree.files.map(\.path)
        var moduleAt: [String: Int] = [:]
        for (index, path) in paths.enumerated() { moduleAt[path] = index }
        let resolver = ModuleResolver(files: Set(paths), packages: tree.packages, pathMappings: tree.pathMappings)
        func matches(_ globs: [String], _ path: String) -> Bool { globs.contains { Glob.matches($0, path) } }
        let isTest = paths.map { path in
            settings.replace && !settings.tests.isEmpty ? matches(settings.tests, path) : Self.isTestFile(path) || matches(settings.tests, path)
        }
        graph.testFiles = isTest.filter { $0 }.count

        // What each class and function implements, resolved once: adapters name their ports from it,
        // and any implementer (an HTTP client too) keeps a port from being an orphan.
        var implementedPorts: [String: [AdapterGraph.PortReference]] = [:]  // "file#declaration"
        var implementers: [String: [String]] = [:]  // "port file#port" → ["file#declaration"]
        for (index, module) in modules.enumerated() where !isTest[index] {
            for declaration in module.declarations where declaration.kind == .class || declaration.kind == .function {
                guard !declaration.implements.isEmpty else { continue }
                let references = declaration.implements.map { name in
                    AdapterGraph.PortReference(name: name, file: declaringFile(of: name, in: index, modules: modules, paths: paths,
                                                                                 moduleAt: moduleAt, resolver: resolver))
                }
                implementedPorts["\(paths[index])#\(declaration.name)"] = references
                for reference in references {
                    guard let file = reference.file else { continue }
                    implementers["\(file)#\(reference.name.split(separator: ".").last ?? "")", default: []]
                        .append("\(paths[index])#\(declaration.name)")
                }
            }
        }

        // Adapters: classes outside tests that do persistence, and factory functions that build a
        // port's object themselves (no class).
        for (index, module) in modules.enumerated() where !isTest[index] {
            let configured = matches(settings.adapters, paths[index])
            for declaration in module.declarations where declaration.kind == .class || declaration.kind == .function && !declaration.implements.isEmpty {
                let detected = settings.replace && !settings.adapters.isEmpty ? nil : persistenceKind(module, declaration)
                guard let kind = detected ?? (configured ? .configured : nil) else { continue }
                graph.adapters.append(AdapterGraph.Adapter(name: declaration.name, file: paths[index], line: declaration.line, kind: kind,
                                                           ports: implementedPorts["\(paths[index])#\(declaration.name)"] ?? [],
                                                           entity: entity(declaration.name), tests: []))
                graph.facts += SourceFacts.facts(module, declaration, file: paths[index], kind: kind)
            }
        }
        // Ports: interfaces in ports/ or repositories/ folders, and whatever an adapter implements.
        let implementedByAdapters = Set(graph.adapters.flatMap { adapter in
            adapter.ports.compactMap { reference in reference.file.map { "\($0)#\(reference.name.split(separator: ".").last ?? "")" } }
        })
        var portKeys = Set<String>()
        for (index, module) in modules.enumerated() where !isTest[index] {
            let defaultPortFolder = paths[index].split(separator: "/").contains { $0 == "ports" || $0 == "repositories" }
            let inPortFolder = settings.replace && !settings.ports.isEmpty ? matches(settings.ports, paths[index])
                : defaultPortFolder || matches(settings.ports, paths[index])
            for declaration in module.declarations where declaration.kind == .interface || declaration.kind == .typeAlias {
                let key = "\(paths[index])#\(declaration.name)"
                let operations = declaration.kind == .interface && declaration.body.map(module.declaresMethods) == true
                guard (inPortFolder && operations && declaration.exported) || implementedByAdapters.contains(key),
                      portKeys.insert(key).inserted else { continue }
                graph.ports.append(AdapterGraph.Port(name: declaration.name, file: paths[index], line: declaration.line,
                                                     entity: entity(declaration.name)))
            }
        }
        for position in graph.ports.indices {
            graph.ports[position].implementedBy = implementers["\(graph.ports[position].file)#\(graph.ports[position].name)"] ?? []
        }
        graph.facts += layerViolations(modules, paths: paths, isTest: isTest, resolver: resolver, packages: tree.packages)
        for (name, ports) in Dictionary(grouping: graph.ports, by: \.name) where ports.count > 1 {
            for port in ports {
                let others = ports.filter { $0.file != port.file }.map(\.file)
                graph.facts.append(.init(kind: .duplicatePort, file: port.file, line: port.line, symbol: name, detail: others.joined(separator: ", ")))
            }
        }
        // Tests: a test covers an adapter when it imports the adapter's module or names its class.
        let adaptersByFile = Dictionary(grouping: graph.adapters.indices) { graph.adapters[$0].file }
        let adaptersByName = Dictionary(grouping: graph.adapters.indices) { graph.adapters[$0].name }
        for (index, module) in modules.enumerated() where isTest[index] {
            var covered = Set<Int>()
            for declaration in module.imports {
                guard let file = resolver.resolve(declaration.source, from: paths[index]) else { continue }
                covered.formUnion(adaptersByFile[file] ?? [])
            }
            for position in module.tokens.indices where module.tokens[position].kind == .identifier {
                let token = module.tokens[position]
                // Adapter class names are long; most identifiers are skipped before a String is made.
                guard token.end - token.start > 3, let found = adaptersByName[module.text(position)] else { continue }
                covered.formUnion(found)
            }
            for position in covered.sorted() { graph.adapters[position].tests.append(paths[index]) }
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
    private static let sqlStarts: Set<String> = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "CREATE", "ALTER", "DROP", "BEGIN",
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
                if startsWithSQL(module.bytes, token) { sendsSQL = true }
                if containsVectorOperator(module.bytes, token) { usesVectorOperators = true }
            case .identifier where index > body.lowerBound + 1 && module.text(index - 1) == ".":
                let name = module.text(index)
                // `this.redis.hset(`: a Redis command on a receiver named for Redis (or with a driver imported).
                if redisCommands.contains(name.lowercased()), index + 1 < module.tokens.count, module.text(index + 1) == "(",
                   module.text(index - 2).lowercased().contains("redis") || !sources.isDisjoint(with: redisDrivers) {
                    usesRedis = true
                }
            default:
                break
            }
        }
        // SQL text counts when the class sends something through `.query(` (an HTTP `method: 'DELETE'` is no SQL).
        let queries = mentions(module, body, ["query", "execute", "unsafe"])
        if usesVectorOperators && sendsSQL && queries { return .pgvector }
        if sendsSQL && queries || !sources.isDisjoint(with: postgresDrivers) && mentions(module, body, ["query", "connect"]) { return .postgres }
        if usesRedis || !sources.isDisjoint(with: redisDrivers) && mentions(module, body, ["get", "set", "del"]) { return .redis }
        return nil
    }

    /// The literal's text (after its quote and leading blanks or parentheses) starts with a SQL
    /// command word followed by a blank, or is one. Read from the bytes: most literals are not SQL.
    static func startsWithSQL(_ bytes: [UInt8], _ token: TSToken) -> Bool {
        var start = token.start + 1
        let end = token.end
        while start < end, [UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "(")].contains(bytes[start]) {
            start += 1
        }
        var word = start
        while word < end, (bytes[word] | 0x20) >= UInt8(ascii: "a"), (bytes[word] | 0x20) <= UInt8(ascii: "z") { word += 1 }
        guard word > start, word - start <= 8 else { return false }
        let upper = String(decoding: bytes[start..<word].map { $0 & ~0x20 }, as: UTF8.self)
        guard sqlStarts.contains(upper) else { return false }
        // A command alone is SQL only for transaction control; `'DELETE'` alone is an HTTP method.
        let blanks: [UInt8] = [UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r")]
        var next = word
        while next < end - 1, blanks.contains(bytes[next]) { next += 1 }
        let more = next > word && next < end - 1 && bytes[next] != UInt8(ascii: ";")
        return more || ["BEGIN", "COMMIT", "ROLLBACK"].contains(upper)
    }

    /// `<=>`, `<->`, `<#>` or `::vector` in the literal.
    static func containsVectorOperator(_ bytes: [UInt8], _ token: TSToken) -> Bool {
        var index = token.start
        while index + 2 < token.end {
            if bytes[index] == UInt8(ascii: "<"), bytes[index + 2] == UInt8(ascii: ">"),
               [UInt8(ascii: "="), UInt8(ascii: "-"), UInt8(ascii: "#")].contains(bytes[index + 1]) { return true }
            if bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: ":"), index + 8 <= token.end,
               String(decoding: bytes[(index + 2)..<(index + 8)], as: UTF8.self).lowercased() == "vector" { return true }
            index += 1
        }
        return false
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
        // Factories: `createLeadRepository` → `LeadRepository`.
        for verb in ["create", "make", "build", "new"] where stem.hasPrefix(verb) && stem.dropFirst(verb.count).first?.isUppercase == true {
            stem.removeFirst(verb.count)
            break
        }
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

    /// The layer of a file from its path: a `domain` or `application` folder or package is inner,
    /// `infrastructure` (or `infra`, `adapters`) outer.
    static func layer(_ path: String, packages: [SourceTree.Package]) -> String? {
        let parts = path.split(separator: "/").map { $0.lowercased() }
        if parts.contains(where: { ["infrastructure", "infra"].contains($0) }) { return "infrastructure" }
        if parts.contains("domain") { return "domain" }
        if parts.contains("application") { return "application" }
        return nil
    }

    private static let drivers: Set<String> = postgresDrivers.union(redisDrivers)

    /// Domain and application files (tests aside) importing a database driver or infrastructure code;
    /// `import type` is a violation too: the inner layer then depends on the outer one's shape.
    static func layerViolations(_ modules: [TypeScriptModule], paths: [String], isTest: [Bool], resolver: ModuleResolver,
                                packages: [SourceTree.Package]) -> [AdapterGraph.SourceFact] {
        var facts: [AdapterGraph.SourceFact] = []
        for (index, module) in modules.enumerated() where !isTest[index] {
            guard let layer = layer(paths[index], packages: packages), layer != "infrastructure" else { continue }
            for declaration in module.imports {
                let source = declaration.source
                let driver = drivers.contains(source) || drivers.contains(where: { source.hasPrefix($0 + "/") })
                let target = resolver.resolve(source, from: paths[index])
                let outer = target.map { Self.layer($0, packages: packages) == "infrastructure" } ?? source.contains("infrastructure")
                guard driver || outer else { continue }
                facts.append(.init(kind: .layerViolation, file: paths[index], line: declaration.line, symbol: layer,
                                   detail: "'\(source)'"))
            }
        }
        return facts
    }
}
