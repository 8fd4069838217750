import Foundation
import InfraGuardian
import InfraGuardianTestSupport
import Testing

/// `infra-guardian adapters` as a user runs it.
@Suite struct AdaptersCommandTests {
    @Test func theReferenceServiceTableFindingsAndExitCodes() throws {
        let markdown = try CommandLineRunner.run(["adapters", "--source", "examples/medicalcor"], in: CommandLineRunner.repositoryRoot)
        #expect(markdown.exitCode == 1)
        #expect(markdown.stdout.contains("| Lead | PostgresLeadRepository | ✅ LeadRepositoryPort | ✅ | ✅ |"))
        #expect(markdown.stdout.contains("`pool-client-not-released` | HIGH | `examples/medicalcor/packages/infrastructure/src/adapters/postgres-event-store.ts:40`"))
        #expect(markdown.stdout.contains("## Quality Gate (Infra): FAILED"))
        let json = try CommandLineRunner.run(["adapters", "--source", "examples/medicalcor", "--format", "json"], in: CommandLineRunner.repositoryRoot)
        let report = try JSONRenderer.decoder().decode(AdapterReport.self, from: Data(json.stdout.utf8))
        #expect(report.graph.adapters.count == 10 && report.findings.count == 7 && !report.gate.passed)
        let missing = try CommandLineRunner.run(["adapters", "--source", "no/such/folder"], in: CommandLineRunner.repositoryRoot)
        #expect(missing.exitCode == 2 && missing.stderr.contains("--source no/such/folder is not a folder"))
    }

    @Test func aTreeWithoutAdaptersSaysSoAndPasses() throws {
        let directory = try TemporaryDirectory()
        try directory.write("src/util.ts", "export const add = (a: number, b: number) => a + b;\n")
        let result = try CommandLineRunner.run(["adapters", "--source", "src"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("➖ No persistence adapter or port found under src."))
    }
}
