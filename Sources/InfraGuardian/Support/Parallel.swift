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

extension Parallel {
    /// `transform(0)`, …, `transform(count - 1)` on at most `width` threads of their own, in index
    /// order. For work that mostly waits (a database's answers), where the bound is what the audited
    /// servers should see at once rather than the number of cores. Blocks its caller.
    static func map<T: Sendable>(_ count: Int, width: Int, _ transform: @escaping @Sendable (Int) -> T) -> [T] {
        let queue = WorkQueue<T>(count: count)
        let workers = (0..<min(max(width, 1), count)).map { _ in
            Pending {
                while let index = queue.take() { queue.store(transform(index), at: index) }
                return true
            }
        }
        for worker in workers { _ = worker.value }
        return queue.results
    }

    /// The next index to work on and the results so far, shared by the workers of `map(_:width:_:)`.
    private final class WorkQueue<T: Sendable>: Sendable {
        private let count: Int
        private let next = Mutex(0)
        private let slots: Mutex<[T?]>

        init(count: Int) {
            self.count = count
            slots = Mutex(Array(repeating: nil, count: count))
        }

        func take() -> Int? {
            next.withLock { next in
                guard next < count else { return nil }
                defer { next += 1 }
                return next
            }
        }

        func store(_ value: T, at index: Int) { slots.withLock { $0[index] = value } }

        var results: [T] { slots.withLock { $0.compactMap { $0 } } }
    }
}
