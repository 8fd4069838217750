/// Runs work that may recurse deeply (libpg_query on a deeply nested statement) on a thread of its
/// own with a large stack, and waits for its result: the calling thread's stack (Dispatch workers
/// have 512 KB) is never the limit. The thread's stack is reserved, not committed: only the pages
/// the work touches cost memory.
enum LargeStack {
    /// 64 MB: libpg_query's recursive output of a statement at `NestingGuard.limit` uses a few MB.
    static let size = 64 << 20

    static func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) -> Value {
        Pending(stackSize: size, work).value
    }
}
