import Foundation
import Testing
@testable import InfraGuardian

/// The catalog as compact rows (issue 16): names, order and index definitions rebuilt by the client
/// must be what the server's deparsers and `ORDER BY` gave, for every kind of index.
@Suite(.integration) struct CatalogAtScaleTests {
    static let fixture = """
        CREATE SCHEMA "Tenant 1";
        CREATE TABLE "Tenant 1"."Order" ("select" int, "MixedCase" text, plain_col text, amount numeric, note varchar(40),
                                         created_at timestamptz, tags text[], CONSTRAINT "Order_pk" PRIMARY KEY ("select"));
        CREATE TABLE public.customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE,
                                       name text COLLATE "C", score int CHECK (score >= 0));
        CREATE TABLE public.b_orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES public.customers (id),
                                      order_select int);
        ALTER TABLE public.b_orders ADD CONSTRAINT b_orders_select_fk FOREIGN KEY (order_select)
            REFERENCES "Tenant 1"."Order" ("select") NOT VALID;
        CREATE INDEX plain_idx ON public.b_orders (customer_id);
        CREATE UNIQUE INDEX "Quoted Idx" ON "Tenant 1"."Order" ("MixedCase", plain_col);
        CREATE INDEX desc_idx ON "Tenant 1"."Order" (created_at DESC);
        CREATE INDEX partial_idx ON "Tenant 1"."Order" (amount) WHERE amount > 0;
        CREATE INDEX expr_idx ON public.customers (lower(email), id);
        CREATE INDEX include_idx ON public.customers (score) INCLUDE (name);
        CREATE INDEX opclass_idx ON public.customers (email text_pattern_ops);
        CREATE INDEX varchar_idx ON "Tenant 1"."Order" (note);
        CREATE INDEX collate_idx ON public.customers (name COLLATE "POSIX");
        CREATE INDEX gin_idx ON "Tenant 1"."Order" USING gin (tags);
        CREATE INDEX options_idx ON public.customers (id) WITH (fillfactor = 70);
        CREATE UNIQUE INDEX nnd_idx ON public.customers (score) NULLS NOT DISTINCT;
        CREATE TABLE public.events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
        CREATE INDEX events_at_idx ON public.events (at);
        CREATE TABLE public.events_2026 PARTITION OF public.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
        """

    @Test func rowsResolveToWhatTheServerDeparses() throws {
        let database = try ScratchDatabase(on: .pg18)
        try database.execute(Self.fixture)
        let collected = PostgresCollector.collect(conninfo: database.url, settings: PostgresSettings())
        let snapshot = try #require(collected.value, "\(collected.error ?? "")")
        let server = try AdminConnection(database.url)
        let expected = try server.rows("""
            SELECT n.nspname, c.relname, ic.relname, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('public', 'Tenant 1') ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C", ic.relname COLLATE "C"
            """)
        #expect(snapshot.indexes.map { [$0.schema, $0.table, $0.name, $0.definition] } == expected.map { $0.map { $0 ?? "" } })
        #expect(snapshot.indexes.count >= 16)
        let quoted = try #require(snapshot.indexes.first { $0.name == "Quoted Idx" })
        #expect(quoted.columns == ["MixedCase", "plain_col"])
        let expression = try #require(snapshot.indexes.first { $0.name == "expr_idx" })
        #expect(expression.columns == ["lower(email)", "id"])
        #expect(snapshot.indexes.first { $0.name == "opclass_idx" }?.operatorClasses == ["text_pattern_ops"])

        let tables = snapshot.tables.map { "\($0.schema).\($0.name)" }
        #expect(tables == ["Tenant 1.Order", "public.b_orders", "public.customers", "public.events", "public.events_2026"])
        #expect(snapshot.tables.first { $0.name == "events_2026" }?.partitionOf == "public.events")
        let order = snapshot.columns.filter { $0.table == "Order" }.map(\.name)
        #expect(order == ["select", "MixedCase", "plain_col", "amount", "note", "created_at", "tags"])
        let foreign = snapshot.constraints.filter { $0.type == "f" }
        #expect(foreign.map(\.referencedTable) == ["public.customers", "Tenant 1.Order"], "\(foreign)")
        #expect(foreign.map(\.columns) == [["customer_id"], ["order_select"]])
        #expect(foreign.map(\.name) == ["b_orders_customer_id_fkey", "b_orders_select_fk"] && foreign.last?.isValidated == false)
        #expect(snapshot.constraints.first { $0.type == "c" }?.definition == "CHECK (score >= 0)")
    }
}
