import Foundation
import InfraGuardianTestSupport
import Testing
@testable import InfraGuardian

/// The adapter graph of the reference service and of real-world layouts.
@Suite struct AdapterGraphTests {
    private static func rows(_ graph: AdapterGraph) -> [String] {
        graph.adapters.map { adapter in
            let ports = adapter.ports.map { "\($0.name)@\($0.file ?? "unresolved")" }.joined(separator: ",")
            return "\(adapter.entity) \(adapter.name) \(adapter.kind.rawValue) port=\(ports.isEmpty ? "none" : ports) tests=\(adapter.tests.count)"
        }.sorted()
    }

    /// The table `examples/medicalcor/DEFECTS.md` expects: D1 (no port) and D2 (no test) visible.
    @Test func theReferenceServicesAdaptersPortsAndTests() {
        let graph = AdapterGraphBuilder.build(root: repositoryRoot + "/examples/medicalcor")
        let ports = "packages/application/src/ports/"
        #expect(Self.rows(graph) == [
            "AuditLog PostgresAuditLogRepository postgres port=AuditLogRepositoryPort@\(ports)audit-log-repository.port.ts tests=1",
            "Cache RedisCache redis port=CachePort@\(ports)cache.port.ts tests=1",
            "Case PostgresCaseRepository postgres port=CaseRepositoryPort@\(ports)case-repository.port.ts tests=0",
            "Consent PostgresConsentRepository postgres port=none tests=1",
            "Embedding PgvectorEmbeddingStore pgvector port=EmbeddingStorePort@\(ports)embedding-store.port.ts tests=1",
            "Event PostgresEventStore postgres port=EventStorePort@\(ports)event-store.port.ts tests=1",
            "GdprErasure PostgresGdprErasureRepository postgres port=IGdprErasureRepository@packages/domain/src/repositories/gdpr-erasure-repository.ts tests=1",
            "Lead PostgresLeadRepository postgres port=LeadRepositoryPort@\(ports)lead-repository.port.ts tests=1",
            "Patient PostgresPatientRepository postgres port=PatientRepositoryPort@\(ports)patient-repository.port.ts tests=1",
            "Session RedisSessionStore redis port=SessionStorePort@\(ports)session-store.port.ts tests=1",
        ])
        // DTOs next to the ports (SimilarityQuery, Session) are not ports: they declare no operations.
        #expect(graph.ports.map(\.name).sorted() == ["AuditLogRepositoryPort", "CachePort", "CaseRepositoryPort", "EmbeddingStorePort",
                                                      "EventStorePort", "IGdprErasureRepository", "LeadRepositoryPort", "NotificationPort",
                                                      "PatientRepositoryPort", "SessionStorePort"])
        #expect(graph.notes.isEmpty)
    }

    /// Layouts of real hexagonal monorepos: deep-path and barrel imports, ports in domain/repositories
    /// and in core, `I`-prefixed names, a structural pool that never imports pg, `__tests__` importing
    /// `'../X.js'`, a port re-declared inside the adapter file, node_modules and dist left alone.
    @Test func realWorldLayouts() throws {
        let root = try TemporaryDirectory()
        try root.write("package.json", #"{"name": "monorepo", "private": true}"#)
        try root.write("packages/application/package.json", #"{"name": "@acme/application"}"#)
        try root.write("packages/application/src/index.ts", "export * from './ports/index.js';\n")
        try root.write("packages/application/src/ports/index.ts", "export * from './secondary/persistence/LabCaseRepository.js';\n")
        try root.write("packages/application/src/ports/secondary/persistence/LabCaseRepository.ts",
                       "export interface LabCaseRepository {\n  findById(id: string): Promise<unknown>;\n}\n")
        try root.write("packages/domain/package.json", #"{"name": "@acme/domain"}"#)
        try root.write("packages/domain/src/patients/repositories/IPatientRepository.ts",
                       "export interface IPatientRepository { save(p: unknown): Promise<void>; }\nexport interface PatientFilter { clinicId: string }\n")
        try root.write("packages/infrastructure/package.json", #"{"name": "@acme/infrastructure"}"#)
        try root.write("packages/infrastructure/src/repositories/PostgresLabCaseRepository.ts", """
            import type { LabCaseRepository } from '@acme/application';
            import { Pool } from 'pg';
            export class PostgresLabCaseRepository implements LabCaseRepository {
              constructor(private readonly pool: Pool) {}
              async findById(id: string) { return (await this.pool.query('SELECT * FROM lab_cases WHERE id = $1', [id])).rows[0]; }
            }
            """)
        try root.write("packages/infrastructure/src/repositories/PostgresPatientRepository.ts", """
            import type { IPatientRepository } from '@acme/domain/patients/repositories/IPatientRepository';
            export class PostgresPatientRepository implements IPatientRepository {
              constructor(private readonly db: { query(sql: string, values?: unknown[]): Promise<unknown> }) {}
              async save(p: unknown) { await this.db.query(`INSERT INTO patients (data) VALUES ($1)`, [p]); }
            }
            """)
        try root.write("packages/core/src/events/EventStore.ts", """
            interface EventStorePort { append(e: unknown): Promise<void> }
            interface Queryable { query(sql: string, values: unknown[]): Promise<unknown> }
            export class SqlEventStore implements EventStorePort {
              constructor(private readonly pool: Queryable) {}
              async append(e: unknown) { await this.pool.query(
                'INSERT INTO domain_events (payload) VALUES ($1)', [e]); }
            }
            export class EventFormatter { format(e: unknown) { return JSON.stringify(e); } }
            """)
        try root.write("packages/infrastructure/src/repositories/__tests__/PostgresLabCaseRepository.test.ts",
                       "import { PostgresLabCaseRepository } from '../PostgresLabCaseRepository.js';\nit('works', () => {});\n")
        try root.write("packages/core/src/events/EventStore.spec.ts", "import { SqlEventStore } from './EventStore.js';\n")
        try root.write("node_modules/pg/lib/index.ts", "export class Client { query() { return this.q('SELECT 1'); } }\n")
        try root.write("packages/infrastructure/dist/PostgresLabCaseRepository.ts", "export class Copy { q() { return 'SELECT 1'; } }\n")

        let graph = AdapterGraphBuilder.build(root: root.path)
        #expect(Self.rows(graph) == [
            "Event SqlEventStore postgres port=EventStorePort@packages/core/src/events/EventStore.ts tests=1",
            "LabCase PostgresLabCaseRepository postgres port=LabCaseRepository@packages/application/src/ports/secondary/persistence/LabCaseRepository.ts tests=1",
            "Patient PostgresPatientRepository postgres port=IPatientRepository@packages/domain/src/patients/repositories/IPatientRepository.ts tests=0",
        ])
        #expect(graph.ports.map(\.name).sorted() == ["EventStorePort", "IPatientRepository", "LabCaseRepository"])
        #expect(graph.testFiles == 2)
    }

    @Test func entityNames() {
        #expect(AdapterGraphBuilder.entity("PostgresLeadRepository") == "Lead")
        #expect(AdapterGraphBuilder.entity("ILeadRepository") == "Lead")
        #expect(AdapterGraphBuilder.entity("LeadRepositoryPort") == "Lead")
        #expect(AdapterGraphBuilder.entity("EmbeddingCacheRedis") == "EmbeddingCache")
        #expect(AdapterGraphBuilder.entity("PgVectorService") == "Vector")
        #expect(AdapterGraphBuilder.entity("Index") == "Index")
        #expect(AdapterGraphBuilder.entity("createAuditService") == "Audit")
    }

    /// `--source` (or `paths.source`) puts the graph in the input, and snapshots keep it; a
    /// configuration's `paths.source` outside the checkout is not read.
    @Test func theAuditInputCarriesTheGraph() throws {
        let request = AuditRequest(sourceRoot: "examples/medicalcor", workingDirectory: repositoryRoot)
        let input = Auditor.collect(request, configuration: Configuration())
        #expect(input.adapters?.adapters.count == 10)
        let decoded = try JSONDecoder().decode(AuditInput.self, from: try JSONEncoder().encode(input))
        #expect(decoded.adapters == input.adapters)
        var configuration = Configuration()
        configuration.paths.source = "../../"
        let hostile = Auditor.collect(AuditRequest(workingDirectory: repositoryRoot + "/examples"), configuration: configuration)
        #expect(hostile.adapters?.adapters.isEmpty == true && hostile.adapters?.notes.first?.contains("outside the working directory") == true)
    }

    /// Broken trees: unreadable and non-UTF-8 files, a symbolic-link loop, a file over the size limit.
    @Test func brokenTreesAreNotedNeverFatal() throws {
        let root = try TemporaryDirectory()
        try root.write("src/ok.ts", "export class A {}\n")
        try root.write("src/latin1.ts", Data([0x63, 0x6C, 0x61, 0x73, 0x73, 0x20, 0xE9, 0x0A]))
        try root.write("src/big.ts", String(repeating: "// x\n", count: (SourceTree.sizeLimit / 5) + 10))
        try FileManager.default.createSymbolicLink(atPath: root.path + "/src/loop", withDestinationPath: root.path + "/src")
        let tree = SourceTree.read(root: root.path)
        #expect(tree.files.map(\.path) == ["src/ok.ts"])
        #expect(tree.notes.count == 2 && tree.notes.allSatisfy { $0.contains("not read") })
        #expect(SourceTree.read(root: root.path + "/missing").notes.first?.contains("is not a folder") == true)
    }

    /// The report's Adapter Coverage table, with the findings of each adapter in its status cell.
    @Test func theCoverageTableOfTheReferenceService() throws {
        let input = Auditor.collect(AuditRequest(sourceRoot: "examples/medicalcor", workingDirectory: repositoryRoot),
                                    configuration: Configuration())
        let report = ReportBuilder().build(input, configuration: Configuration())
        let markdown = try MarkdownRenderer().render(report)
        #expect(markdown.contains("| Lead | PostgresLeadRepository | ✅ LeadRepositoryPort | ✅ | ✅ |"))
        let caseRow = try #require(report.adapterCoverage.first { $0.adapter == "PostgresCaseRepository" })
        #expect(!caseRow.hasTests && caseRow.status == .unhealthy && caseRow.findings?.count == 1)
        let missing = try #require(report.issues.first { $0.finding.ruleID == "adapter-missing-test" })
        #expect(missing.finding.location.file == "examples/medicalcor/packages/infrastructure/src/adapters/postgres-case-repository.ts")
        #expect(missing.finding.fix.contains("examples/medicalcor/packages/infrastructure/test/postgres-case-repository.test.ts"))
        #expect(missing.finding.fix.contains("from '../src/adapters/postgres-case-repository.js'"))
        #expect(markdown.contains("| Consent | PostgresConsentRepository | ❌ | ✅ | ❌ \(report.issues.first { $0.finding.ruleID == "adapter-missing-port" }?.id ?? "?") |"))
        #expect(markdown.contains("| Notification | — | ✅ NotificationPort | — | ⚠️ "))
        // DEFECTS.md D1-D5, D7 and D8, each once, at its line, and nothing else from the tree.
        let found = report.issues.filter { $0.finding.category == .adapter }.map { issue in
            "\(issue.finding.ruleID) \(PathName.last(of: issue.finding.location.file ?? "")):\(issue.finding.location.line ?? 0)"
        }.sorted()
        #expect(found == ["adapter-missing-port postgres-consent-repository.ts:30", "adapter-missing-test postgres-case-repository.ts:34",
                          "orphan-port notification.port.ts:1",
                          "pool-client-not-released postgres-event-store.ts:40", "redis-set-without-ttl redis-session-store.ts:15",
                          "sql-string-concatenation postgres-audit-log-repository.ts:59",
                          "sql-string-concatenation postgres-gdpr-erasure-repository.ts:14"])
    }

    /// tsconfig `paths` (JSON with comments and trailing commas) resolve imports no package name does.
    @Test func tsconfigPathsResolvePorts() throws {
        let root = try TemporaryDirectory()
        try root.write("tsconfig.base.json", """
            {
              // shared settings
              "compilerOptions": {
                "baseUrl": ".",
                "paths": { "@app/*": ["libs/app/src/*"], /* the kernel */ "@kernel": ["libs/kernel/index.ts",], },
              },
            }
            """)
        try root.write("libs/app/src/ports/invoice-repository.ts", "export interface InvoiceRepository { save(i: unknown): Promise<void>; }\n")
        try root.write("libs/kernel/index.ts", "export interface Clock { now(): Date; }\n")
        try root.write("apps/api/src/postgres-invoice-repository.ts", """
            import type { InvoiceRepository } from '@app/ports/invoice-repository';
            import type { Clock } from '@kernel';
            export class PostgresInvoiceRepository implements InvoiceRepository, Clock {
              constructor(private readonly db: { query(s: string, v: unknown[]): Promise<unknown> }) {}
              async save(i: unknown) { await this.db.query('INSERT INTO invoices (data) VALUES ($1)', [i]); }
              now() { return new Date(); }
            }
            """)
        let graph = AdapterGraphBuilder.build(root: root.path)
        #expect(graph.adapters.first?.ports == [.init(name: "InvoiceRepository", file: "libs/app/src/ports/invoice-repository.ts"),
                                                .init(name: "Clock", file: "libs/kernel/index.ts")])
        #expect(SourceTree.strictJSON("{\"a\": \"//not a comment\", /* x */ \"b\": [1, 2,],}") == "{\"a\": \"//not a comment\",  \"b\": [1, 2]}")
    }

    /// `adapters:` globs add to the built-in discovery, or replace it.
    @Test func configuredGlobs() throws {
        let configuration = try ConfigurationLoader.parse("""
            adapters:
              ports: ["libs/**/contracts/*.ts"]
              adapters: ["libs/**/gateways/*.ts"]
              tests: ["qa/**/*.check.ts"]
            """)
        #expect(configuration.adapters.ports == ["libs/**/contracts/*.ts"] && !configuration.adapters.replace)
        let files = [("libs/billing/contracts/invoice-store.ts", "export interface InvoiceStore { load(id: string): Promise<unknown>; }\n"),
                     ("libs/billing/gateways/stripe-invoice-store.ts",
                      "import type { InvoiceStore } from '../contracts/invoice-store.js';\nexport class StripeInvoiceStore implements InvoiceStore { async load(id: string) { return fetch(id); } }\n"),
                     ("qa/billing/stripe.check.ts", "import { StripeInvoiceStore } from '../../libs/billing/gateways/stripe-invoice-store.js';\n")]
        var tree = SourceTree()
        tree.files = files.map { SourceTree.File(path: $0.0, text: $0.1) }
        let graph = AdapterGraphBuilder.build(tree, root: "", settings: configuration.adapters)
        #expect(graph.adapters.map { "\($0.name) \($0.kind.rawValue) tests=\($0.tests.count)" } == ["StripeInvoiceStore configured tests=1"])
        #expect(graph.ports.map(\.name) == ["InvoiceStore"])
        #expect(AdapterGraphBuilder.build(tree, root: "").adapters.isEmpty)
        #expect(Glob.matches("packages/**/ports/*.ts", "packages/a/src/ports/x.ts") && !Glob.matches("packages/*/ports/*.ts", "packages/a/src/ports/x.ts"))
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse("adapters:\n  port: [x]\n") }
    }

    /// Found on a real TypeScript tree (JupyterLab's galata helpers): an HTTP client with
    /// `method: 'DELETE'` and a `.expire(` of its own is no persistence adapter.
    @Test func httpClientsAndLookalikeNamesAreNotAdapters() {
        let graph = AdapterGraphBuilder.build(files: [("src/contents.ts", """
            export class ContentsHelper {
              async deleteFile(path: string) { return this.request.fetch(path, { method: 'DELETE' }); }
              async touch(path: string) { const query = `select=${path}`; return this.cache.expire(path); }
            }
            """)])
        #expect(graph.adapters.isEmpty)
    }

    /// A factory function that builds the port's object itself is an adapter; one that returns
    /// `new PostgresX(pool)` only implements the port through its class.
    @Test func factoryFunctionsAsAdapters() {
        let graph = AdapterGraphBuilder.build(files: [
            ("src/ports/audit-service.ts", "export interface AuditService { record(e: string): Promise<void>; }\n"),
            ("src/infra/audit.ts", """
                import type { Pool } from 'pg';
                import type { AuditService } from '../ports/audit-service.js';
                export function createAuditService(pool: Pool): AuditService {
                  return {
                    async record(e: string) {
                      const client = await pool.connect();
                      await client.query('INSERT INTO audit (event) VALUES ($1)', [e]);
                      client.release();
                    },
                  };
                }
                """),
            ("src/infra/leads.ts", """
                import type { Pool } from 'pg';
                export interface LeadRepositoryPort { find(id: string): Promise<unknown>; }
                export class PostgresLeadRepository implements LeadRepositoryPort {
                  constructor(private readonly pool: Pool) {}
                  async find(id: string) { return this.pool.query('SELECT 1 FROM leads WHERE id = $1', [id]); }
                }
                export function createLeadRepository(pool: Pool): Promise<LeadRepositoryPort> { return Promise.resolve(new PostgresLeadRepository(pool)); }
                """),
        ])
        #expect(graph.adapters.map(\.name).sorted() == ["PostgresLeadRepository", "createAuditService"])
        #expect(graph.adapters.first { $0.name == "createAuditService" }?.ports.first?.file == "src/ports/audit-service.ts")
        #expect(graph.facts.map(\.kind) == [.clientNotReleased])
        #expect(graph.ports.first { $0.name == "LeadRepositoryPort" }?.implementedBy.count == 2)
    }

    /// Arrow-function factories and typed object literals are adapters too when they do persistence.
    @Test func arrowFactoriesAndTypedObjects() {
        let graph = AdapterGraphBuilder.build(files: [
            ("src/ports/ports.ts", """
                export interface AuditService { record(e: string): Promise<void>; }
                export interface SessionStore { put(id: string, v: string): Promise<void>; }
                """),
            ("src/infra/adapters.ts", """
                import type { Pool } from 'pg';
                import type { Redis } from 'ioredis';
                import type { AuditService, SessionStore } from '../ports/ports.js';
                const TABLE = 'audit'
                const twice = (n: number) + 1
                export const createAuditService = (pool: Pool): AuditService => ({
                  async record(e: string) { await pool.query(`INSERT INTO audit (event) VALUES ('${e}')`); },
                });
                export const sessions: SessionStore = {
                  async put(id: string, v: string) { await redis.set('session:' + id, v); },
                };
                declare const redis: Redis;
                """),
        ])
        #expect(graph.adapters.map { "\($0.name) \($0.kind.rawValue) \($0.ports.map(\.name))" }.sorted()
                == ["createAuditService postgres [\"AuditService\"]", "sessions redis [\"SessionStore\"]"])
        #expect(graph.facts.map(\.kind.rawValue).sorted() == ["redisSetWithoutExpiry", "sqlBuiltFromValue"])
    }

    /// A port reachable only through the package's `exports` map (build output mapped back to src/).
    @Test func packageExportsMaps() throws {
        let root = try TemporaryDirectory()
        try root.write("packages/app/package.json", """
            {"name": "@acme/app", "exports": {".": "./dist/index.js", "./contracts": {"types": "./dist/ports/index.d.ts", "import": "./dist/ports/index.js"},
             "./contracts/*": {"types": "./dist/ports/*.d.ts"}}}
            """)
        try root.write("packages/app/src/ports/index.ts", "export * from './billing.js';\n")
        try root.write("packages/app/src/ports/billing.ts", "export interface BillingRepository { save(x: unknown): Promise<void>; }\n")
        try root.write("packages/infra/src/a.ts", """
            import type { BillingRepository } from '@acme/app/contracts';
            export class PgBillingRepository implements BillingRepository {
              constructor(private readonly db: { query(s: string): Promise<unknown> }) {}
              async save(x: unknown) { await this.db.query('INSERT INTO billing DEFAULT VALUES'); }
            }
            """)
        try root.write("packages/infra/src/b.ts", """
            import type { BillingRepository } from '@acme/app/contracts/billing';
            export class PgBillingRepository2 implements BillingRepository {
              constructor(private readonly db: { query(s: string): Promise<unknown> }) {}
              async save(x: unknown) { await this.db.query('INSERT INTO billing DEFAULT VALUES'); }
            }
            """)
        let graph = AdapterGraphBuilder.build(root: root.path)
        #expect(graph.adapters.map { $0.ports.first?.file ?? "unresolved" } == ["packages/app/src/ports/billing.ts", "packages/app/src/ports/billing.ts"])
    }
}
