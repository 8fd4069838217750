import Dispatch
import Synchronization

/// Progress lines for long runs (`collecting … evaluating 96 rules … rendering`): nothing for a run
/// that ends within `delay`; after it, the step in progress, then each new step as it starts. The
/// command line writes them to standard error when it is a terminal and `--quiet` is not given.
public final class ProgressReporter: Sendable {
    private struct State {
        var step: String?
        var showing = false
        var finished = false
    }

    private let state = Mutex(State())
    private let write: @Sendable (String) -> Void
    private let start = ContinuousClock.now

    public init(after delay: Duration = .seconds(2), write: @escaping @Sendable (String) -> Void) {
        self.write = write
        let millis = Int(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .milliseconds(millis)) { [weak self] in
            self?.beginShowing()
        }
    }

    /// A step starts: shown at once when the run is already long, else when `delay` is reached.
    public func step(_ text: String) {
        let shown = state.withLock { state -> Bool in
            guard !state.finished else { return false }
            state.step = text
            return state.showing
        }
        if shown { write(line(text)) }
    }

    /// The run is over: nothing more is written.
    public func finish() { state.withLock { $0.finished = true } }

    private func beginShowing() {
        let current = state.withLock { state -> String? in
            guard !state.finished else { return nil }
            state.showing = true
            return state.step
        }
        if let current { write(line(current)) }
    }

    private func line(_ text: String) -> String {
        let elapsed = (ContinuousClock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return "infra-guardian: \(text) (\(String(format: "%.1f", seconds)) s)"
    }
}
