import Dispatch
import Synchronization

enum Parallel {
    /// `transform(0)`, …, `transform(count - 1)` computed on every core, in index order. For
    /// independent pieces of work (files, rules) that need no lock. Blocks the calling thread until
    /// all are done: call it from synchronous code only (the async API runs it off the
    /// cooperative pool).
    static func map<T: Sendable>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(transform) }
        let results = Mutex<[T?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let value = transform(index)
            results.withLock { $0[index] = value }
        }
        return results.withLock { $0.compactMap { $0 } }
    }
}
