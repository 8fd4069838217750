/// A pooled client that is not released in a `finally` on every path.
struct PoolClientNotReleased: Rule {
    static let description = RuleDescription(
        id: "pool-client-not-released", category: .adapter, severity: .high,
        summary: "A client taken with pool.connect() is not released in a finally on every path.",
        finds: "`connect()` whose client is released outside `finally`, never, or after an `await` between `connect()` and the `try`",
        why: """
        node-postgres gives the client back to the pool only on `release()`. When an error skips the \
        release (it sits after the try/catch, or an `await client.query('BEGIN')` before the try throws) \
        the client is lost; after `max` such errors the pool is empty and every request waits for a \
        connection that never comes: an outage caused by a retryable error.
        """,
        fix: "Take the client, then enter try at once and release in finally:\n" + AdapterExamples.transaction,
        bad: [.source([AdapterExamples.eventStore(beginInsideTry: false, releaseInFinally: false)], at: .line(5)),
              // Released in finally, but the BEGIN before the try can throw: then the finally never runs.
              .source([AdapterExamples.eventStore(beginInsideTry: false, releaseInFinally: true)], at: .line(5))],
        good: [.source([AdapterExamples.eventStore(beginInsideTry: true, releaseInFinally: true)])])

    func check(_ input: AuditInput, _ context: RuleContext) -> [Finding] {
        input.sourceFacts(.clientNotReleased).map { graph, fact in
            finding("\(fact.symbol): \(fact.detail); after enough errors the pool has no client left.",
                    at: graph.location(of: fact),
                    fix: "In \(fact.symbol), enter `try` right after the connect() at line \(fact.line) (move any BEGIN inside it) "
                        + "and release the client in `finally { client.release(); }`.")
        }
    }
}
