import Dispatch

/// Frees large structures (parse trees, tens of thousands of findings) a moment later on a
/// background thread instead of on the caller's: tearing them down is work the report does not
/// wait for, and a command-line run usually exits before it would happen.
enum BackgroundRelease {
    static func later<Value: Sendable>(_ value: Value) {
        // The delay lets the caller drop its own references first, so the last one, and with it
        // the teardown, is the background block's.
        DispatchQueue.global(qos: .background).asyncAfter(deadline: .now() + .milliseconds(200)) {
            withExtendedLifetime(value) {}
        }
    }
}
