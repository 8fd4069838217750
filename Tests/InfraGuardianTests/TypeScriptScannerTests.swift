import Testing
@testable import InfraGuardian

/// The TypeScript tokenizer and declaration scanner the adapter analysis stands on.
@Suite struct TypeScriptScannerTests {
    private func kinds(_ text: String) -> [(TSToken.Kind, String)] {
        let (bytes, tokens) = TypeScriptTokenizer.tokens(text)
        return tokens.map { ($0.kind, TypeScriptTokenizer.text($0, in: bytes)) }
    }

    @Test func commentsAndStringsHideWhatIsInThem() {
        let tokens = kinds("// class A implements B {}\n/* import x from 'y' */ const s = 'class C {}'; const t = \"a\\\"b\";")
        #expect(tokens.map(\.1) == ["const", "s", "=", "'class C {}'", ";", "const", "t", "=", "\"a\\\"b\"", ";"])
    }

    @Test func templatesNestToAnyDepth() {
        let text = "const q = `SELECT ${a ? `x${b + `${c}`}y` : {k: 1}.k} FROM t WHERE id = ${id}`; f();"
        let tokens = kinds(text)
        let parts = tokens.filter { [.templateHead, .templateMiddle, .templateTail, .template].contains($0.0) }.map(\.1)
        #expect(parts == ["`SELECT ${", "`x${", "`${", "}`", "}y`", "} FROM t WHERE id = ${", "}`"])
        #expect(tokens.suffix(4).map(\.1) == ["f", "(", ")", ";"])
    }

    @Test func regularExpressionsAreToldFromDivision() {
        let tokens = kinds("const r = /ab+c\\/[/]/gi; const d = a / b / c; return /x/.test(s); if (x) y = (a) / 2;")
        #expect(tokens.filter { $0.0 == .regex }.map(\.1) == ["/ab+c\\/[/]/gi", "/x/"])
        #expect(tokens.filter { $0.1 == "/" }.count == 3)
    }

    @Test func byteOrderMarkAndCRLFLines() {
        let (_, tokens) = TypeScriptTokenizer.tokens("\u{FEFF}import a from 'a';\r\n\r\nexport class B {}\r\n")
        #expect(tokens.first.map { $0.line } == 1)
        #expect(tokens.first { $0.line == 3 } != nil)
        let module = TypeScriptModule("\u{FEFF}import a from 'a';\r\n\r\nexport class B {}\r\n")
        #expect(module.imports.first?.source == "a")
        #expect(module.declarations.first?.line == 3)
    }

    @Test func importsAndReExports() {
        let module = TypeScriptModule("""
            import type { ILeadRepository, LeadFilter as Filter } from '@medicalcor/application';
            import { Pool, type PoolClient } from 'pg';
            import * as crypto from 'node:crypto';
            import Redis, { Cluster } from "ioredis";
            import './setup.js';
            const lazy = await import('./lazy.js');
            export { PostgresLeadRepository, createLeadRepository as create } from './PostgresLeadRepository.js';
            export * from './ports/index.js';
            export type * as Types from './types.js';
            """)
        #expect(module.imports.map(\.source) == ["@medicalcor/application", "pg", "node:crypto", "ioredis", "./setup.js"])
        #expect(module.imports[0].isTypeOnly && module.imports[0].names.map(\.local) == ["ILeadRepository", "Filter"])
        #expect(module.imports[1].names == [.init(imported: "Pool", local: "Pool", isType: false),
                                            .init(imported: "PoolClient", local: "PoolClient", isType: true)])
        #expect(module.imports[2].names == [.init(imported: "*", local: "crypto", isType: false)])
        #expect(module.imports[3].names.map(\.imported) == ["default", "Cluster"])
        #expect(module.reExports.map(\.source) == ["./PostgresLeadRepository.js", "./ports/index.js", "./types.js"])
        #expect(module.reExports[0].names.map(\.local) == ["PostgresLeadRepository", "create"])
        #expect(module.reExports[1].all && !module.reExports[2].all)
    }

    @Test func classesInterfacesMethodsAndTryBlocks() throws {
        let module = TypeScriptModule("""
            export interface ILeadRepository<T = Lead> extends Repository<T>, Auditable {
              findById(id: string): Promise<Lead | null>;
            }
            export type LeadId = string;
            @Injectable()
            export class PostgresLeadRepository extends Base<Map<string, Array<number>>> implements ILeadRepository, ns.Other<X> {
              private readonly table = 'leads';
              constructor(private readonly pool: Pool) { super(); }
              async findById(id: string): Promise<{ id: string } | null> {
                const client = await this.pool.connect();
                try {
                  const result = await client.query(`SELECT * FROM leads WHERE id = $1`, [id]);
                  return result.rows[0] ?? null;
                } catch (error) {
                  throw error;
                } finally {
                  client.release();
                }
              }
              save = async (lead: Lead): Promise<void> => { await this.pool.query('INSERT …', [lead.id]); };
            }
            export function createLeadRepository(pool: Pool): ILeadRepository { return new PostgresLeadRepository(pool); }
            """)
        let names = module.declarations.map { "\($0.kind.rawValue) \($0.name)" }
        #expect(names == ["interface ILeadRepository", "typeAlias LeadId", "class PostgresLeadRepository", "function createLeadRepository"])
        let interface = module.declarations[0]
        #expect(interface.exported && interface.extends == ["Repository", "Auditable"])
        let adapter = module.declarations[2]
        #expect(adapter.extends == ["Base"] && adapter.implements == ["ILeadRepository", "ns.Other"] && adapter.line == 6)
        #expect(adapter.methods.map(\.name) == ["constructor", "findById", "save"])
        let findById = try #require(adapter.methods.first { $0.name == "findById" })
        let tries = module.tryStatements(in: findById.body)
        #expect(tries.count == 1 && tries[0].line == 11 && tries[0].catchBody != nil)
        let finally = try #require(tries[0].finallyBody)
        #expect(finally.map { module.text($0) }.joined(separator: " ") == "client . release ( ) ;")
    }

    @Test func declarationsInsideStringsTemplatesAndCommentsNeverCount() {
        let module = TypeScriptModule("""
            const doc = `export class Fake implements IPort {}`;
            // export interface Hidden {}
            const s = "import x from 'nowhere'";
            export class Real {}
            """)
        #expect(module.declarations.map(\.name) == ["Real"])
        #expect(module.imports.isEmpty)
    }

    /// Hostile or broken source (from a pull request) ends in tokens, never a crash or a hang.
    @Test func brokenSourceEndsCleanly() {
        let broken = ["`unterminated ${ a + `inner", "'open string\nnext line", "/* never closed", "x = /unterminated",
                      "class A extends { implements", "export { a as", "import { x", "}}}}}}", "<<<<", "@@@", "\u{0}",
                      "function f(: {", "try { } catch", "const", "export const", "let x", "const x =", String(repeating: "${`", count: 500)]
        for text in broken {
            let module = TypeScriptModule(text)
            #expect(module.tokens.allSatisfy { $0.start <= $0.end && $0.end <= module.bytes.count })
        }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab {}()<>[]`'\"/\\$*;:,.=\n@#?!").map(String.init) + ["class", "import", "export", "try", "finally", "from"]
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...60, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "" }.joined(separator: " ")
            let module = TypeScriptModule(text)
            #expect(module.tokens.allSatisfy { $0.start <= $0.end && $0.end <= module.bytes.count })
            for declaration in module.declarations { _ = declaration.body.map { module.tryStatements(in: $0) } }
        }
    }

    /// Random cuts of the reference service's real files (a half-saved file, a truncated download)
    /// and random bytes: the scanner ends, and every token lies inside the text.
    @Test func randomCutsOfRealFilesAndRandomBytes() throws {
        let tree = SourceTree.read(root: repositoryRoot + "/examples/medicalcor")
        #expect(tree.files.count > 20)
        var generator = SystemRandomNumberGenerator()
        for file in tree.files {
            let bytes = Array(file.text.utf8)
            for _ in 0..<8 {
                let start = Int.random(in: 0...bytes.count, using: &generator)
                let end = Int.random(in: start...bytes.count, using: &generator)
                let module = TypeScriptModule(String(decoding: bytes[start..<end], as: UTF8.self))
                #expect(module.tokens.allSatisfy { $0.start <= $0.end && $0.end <= module.bytes.count })
                for declaration in module.declarations { for method in declaration.methods { _ = module.tryStatements(in: method.body) } }
            }
        }
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0...400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let module = TypeScriptModule(String(decoding: bytes, as: UTF8.self))
            #expect(module.tokens.allSatisfy { $0.start <= $0.end && $0.end <= module.bytes.count })
        }
    }
}
