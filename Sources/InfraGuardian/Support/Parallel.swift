import Dispatch

enum Parallel {
    /// `transform(0)`, …, `transform(count - 1)` computed on every core, in index order. For
    /// independent pieces of work (files, rules, output chunks) that need no lock.
    static func map<T: Sendable>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(transform) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            nonisolated(unsafe) let slots = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: count) { index in
                (slots + index).initialize(to: transform(index))
            }
            initialized = count
        }
    }
}
