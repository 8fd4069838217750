import Dispatch
import Foundation

enum OrderedPipeline {
    /// Produces pieces 0..<count into byte buffers on Dispatch's worker threads and hands each,
    /// in order, to `consume` on the calling thread while the next pieces are being produced.
    /// Only `buffers` buffers exist: each is reused (its capacity kept) once its piece has been
    /// consumed, so a large output is never held whole and its memory is touched only once.
    /// `produce` never waits on anything, so the pipeline cannot deadlock however few threads
    /// Dispatch gives it; the calling thread only waits for pieces already queued.
    static func run(count: Int,
                    buffers: Int = 2 * ProcessInfo.processInfo.activeProcessorCount,
                    produce: @escaping @Sendable (Int, inout [UInt8]) -> Void,
                    consume: ([UInt8]) -> Void) {
        guard count > 0 else { return }
        let slots = Slots(count: max(1, min(buffers, count)), pieces: count)
        for piece in 0..<slots.count { slots.submit(piece, produce) }
        for piece in 0..<count {
            slots.ready[piece].wait()
            consume(slots.buffer(for: piece).pointee)
            slots.buffer(for: piece).pointee.removeAll(keepingCapacity: true)
            if piece + slots.count < count { slots.submit(piece + slots.count, produce) }
        }
    }

    /// The reused buffers and one semaphore per piece ("produced"). A buffer is written by one
    /// worker at a time and read by the calling thread only after that worker's signal.
    private final class Slots: @unchecked Sendable {
        let count: Int
        let ready: [DispatchSemaphore]
        private let storage: UnsafeMutablePointer<[UInt8]>

        init(count: Int, pieces: Int) {
            self.count = count
            ready = (0..<pieces).map { _ in DispatchSemaphore(value: 0) }
            storage = .allocate(capacity: count)
            storage.initialize(repeating: [], count: count)
        }

        deinit {
            storage.deinitialize(count: count)
            storage.deallocate()
        }

        func buffer(for piece: Int) -> UnsafeMutablePointer<[UInt8]> { storage + piece % count }

        func submit(_ piece: Int, _ produce: @escaping @Sendable (Int, inout [UInt8]) -> Void) {
            DispatchQueue.global().async { [self] in
                produce(piece, &buffer(for: piece).pointee)
                ready[piece].signal()
            }
        }
    }
}
