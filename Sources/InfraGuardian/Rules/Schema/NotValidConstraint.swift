/// A constraint added NOT VALID and never validated.
struct NotValidConstraint: Rule {
    static let description = RuleDescription(
        id: "not-valid-constraint", category: .schema, severity: .medium,
        summary: "A CHECK or FOREIGN KEY constraint was added NOT VALID and never validated.",
        finds: "a CHECK / FOREIGN KEY left `NOT VALID`",
        why: """
        NOT VALID is the right first step on a live table (no long scan under a strong lock), but until \
        VALIDATE CONSTRAINT runs, existing rows are unchecked: the rule the schema promises may be false, \
        and the planner cannot rely on it (constraint exclusion, join removal). VALIDATE takes only a \
        SHARE UPDATE EXCLUSIVE lock: reads and writes continue.
        """,
        fix: "ALTER TABLE <schema>.<table> VALIDATE CONSTRAINT <constraint>; (in its own migration; fix violating rows first).",
        bad: [.postgres("public.cases.cases_patient_id_fkey NOT VALID") {
            PostgresSnapshot(tables: [Table(name: "cases")],
                             constraints: [Constraint(table: "cases", name: "cases_patient_id_fkey", type: "f",
                                                      definition: "FOREIGN KEY (patient_id) REFERENCES patients(id) NOT VALID",
                                                      isValidated: false, columns: ["patient_id"])])
        }],
        good: [.postgres("public.cases.cases_patient_id_fkey validated") {
            PostgresSnapshot(tables: [Table(name: "cases")],
                             constraints: [Constraint(table: "cases", name: "cases_patient_id_fkey", type: "f",
                                                      definition: "FOREIGN KEY (patient_id) REFERENCES patients(id)",
                                                      columns: ["patient_id"])])
        }])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        guard let pg = input.postgres.value else { return [] }
        return pg.constraints.filter { !$0.isValidated && !pg.isInherited($0) }.map { constraint in
            let kind = constraint.type == "f" ? "Foreign key" : constraint.type == "c" ? "Check constraint" : "Constraint"
            return finding("\(kind) \(constraint.name) on \(constraint.schema).\(constraint.table) is NOT VALID: existing rows were never checked.",
                           at: .object("\(constraint.schema).\(constraint.table).\(constraint.name)"),
                           fix: "ALTER TABLE \(pg.sqlName(constraint.schema, constraint.table)) VALIDATE CONSTRAINT \(SQLName.quote(constraint.name)); (fix violating rows first; reads and writes continue during validation)")
        }
    }
}
