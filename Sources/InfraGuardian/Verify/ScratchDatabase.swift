import Dispatch
import Foundation
import Synchronization

/// The database `verify` writes to: created by it, uniquely named (`infra_guardian_verify_…`), on a
/// server it started or was explicitly given (`--scratch-url`), and dropped at the end (`WITH
/// (FORCE)`, which also ends sessions still in it). Nothing else on the server is touched.
struct ScratchDatabase {
    static let namePrefix = "infra_guardian_verify_"
    let name: String
    let adminConninfo: String
    let settings: PostgresSettings

    /// Creates the database from the server's `postgres` maintenance database (or the URL's own).
    init(adminConninfo: String, settings: PostgresSettings) throws {
        self.adminConninfo = adminConninfo
        self.settings = settings
        name = Self.namePrefix + "\(getpid())_" + UUID().uuidString.prefix(8).lowercased()
        let admin = try PostgresConnection.openScratch(conninfo: adminConninfo, database: nil, settings: settings,
                                                       deadline: Deadline(seconds: 60))
        admin.activity = "creating the scratch database"
        do {
            try admin.run("CREATE DATABASE \(quoteIdentifier(name))")
        } catch let error as PostgresError {
            throw VerifyError("cannot create a scratch database on the server (the role needs CREATEDB): \(error.message)")
        }
    }

    /// A session in the scratch database.
    func connect() throws -> PostgresConnection {
        try PostgresConnection.openScratch(conninfo: adminConninfo, database: name, settings: settings,
                                           deadline: Deadline(seconds: Deadline.maximumSeconds))
    }

    /// Drops the database; true when it is gone.
    @discardableResult
    func drop() -> Bool {
        guard let admin = try? PostgresConnection.openScratch(conninfo: adminConninfo, database: nil, settings: settings,
                                                              deadline: Deadline(seconds: 30)) else { return false }
        admin.activity = "dropping the scratch database"
        return (try? admin.run("DROP DATABASE IF EXISTS \(quoteIdentifier(name)) WITH (FORCE)")) != nil
    }
}

/// What must be undone however `verify` ends: the scratch database dropped, the server it started
/// stopped and its folder removed. Run once, by the normal path or on SIGINT/SIGTERM.
final class ScratchCleanup {
    private let pending = PendingActions()
    private var signals: [any DispatchSourceSignal] = []

    func add(_ action: @escaping @Sendable () -> Void) { pending.add(action) }

    /// Runs the actions, newest first; later calls do nothing.
    func run() { pending.runOnce() }

    /// On Ctrl-C or SIGTERM: clean up, then exit 130 / 143 (the signal's conventional code).
    func onInterrupt() {
        let pending = pending
        for (number, code) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("infra-guardian verify: interrupted, removing the scratch database\n".utf8))
                pending.runOnce()
                exit(code)
            }
            source.resume()
            signals.append(source)
        }
    }

    /// Back to the default signal handling (for callers that go on after verify).
    func restoreSignals() {
        signals.forEach { $0.cancel() }
        signals.removeAll()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// The cleanup actions, shared with the signal handler's queue.
private final class PendingActions: Sendable {
    private let actions = Mutex<[@Sendable () -> Void]>([])

    func add(_ action: @escaping @Sendable () -> Void) { actions.withLock { $0.append(action) } }

    /// Runs the actions while holding the lock, so that a second caller (the main path while a
    /// signal handler cleans up) waits until everything is removed instead of exiting meanwhile.
    func runOnce() {
        actions.withLock { actions in
            let due = actions
            actions.removeAll()
            for action in due.reversed() { action() }
        }
    }
}
