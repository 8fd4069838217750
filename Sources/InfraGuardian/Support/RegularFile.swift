import Foundation

/// Reads input files (configuration, rule packs, migrations, templates, snapshots) that may come
/// from a pull request. Only regular files on ordinary file systems are read: a FIFO would block
/// forever, a device never ends, and `/proc/self/environ` (a "regular" file on procfs) holds the
/// environment with its credentials. Every refusal says why, without a byte of the file.
public enum RegularFile {
    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public var reason: String
        public var description: String { reason }
    }

    /// The file's bytes, or why they were not read. `limit` bounds what is read (a configuration of
    /// 10 GB is a mistake or an attack, not a configuration).
    public static func read(_ path: String, limit: Int) -> Result<[UInt8], Refusal> {
        // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else { return .failure(Refusal(reason: openFailure(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(Refusal(reason: "cannot inspect the file")) }
        if let kind = specialKind(status.st_mode) {
            return .failure(Refusal(reason: "not a regular file (\(kind)): refused"))
        }
        if let root = pseudoFileSystem(path) {
            return .failure(Refusal(reason: "a file under \(root), the kernel's: refused"))
        }
        if Int(status.st_size) > limit {
            return .failure(Refusal(reason: "larger than the \(Format.bytes(Int64(limit))) this input may have"))
        }
        // Back to blocking reads: a regular file never blocks, and this keeps the loop plain.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return readAll(descriptor, expected: max(Int(status.st_size), 0), limit: limit)
    }

    /// `read` as UTF-8 text (a leading byte order mark dropped).
    public static func text(_ path: String, limit: Int) -> Result<String, Refusal> {
        read(path, limit: limit).flatMap { bytes in
            let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
            guard let text = String(validating: body, as: UTF8.self) else {
                return .failure(Refusal(reason: "the file is not valid UTF-8 text"))
            }
            return .success(text)
        }
    }

    /// One megabyte: far above any real configuration or rule pack.
    public static let configurationLimit = 1 << 20

    private static func readAll(_ descriptor: Int32, expected: Int, limit: Int) -> Result<[UInt8], Refusal> {
        // One byte more than fstat's size, so the read that finds the end needs no larger array.
        var bytes = [UInt8](repeating: 0, count: min(expected, limit) + 1)
        var filled = 0
        while true {
            // Read to the end even past the size fstat gave: the file may have grown since.
            if filled == bytes.count {
                guard filled <= limit else {
                    return .failure(Refusal(reason: "larger than the \(Format.bytes(Int64(limit))) this input may have"))
                }
                bytes += [UInt8](repeating: 0, count: 4096)
            }
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Foundation.read(descriptor, base + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Refusal(reason: "cannot read the file"))
            }
            if count == 0 {
                bytes.removeLast(bytes.count - filled)
                return .success(bytes)
            }
            filled += count
        }
    }

    private static func openFailure(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "is a folder, not a file"
        case ELOOP: return "too many symbolic links"
        default: return "cannot open the file"
        }
    }

    private static func specialKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a folder"
        default: return "a special file"
        }
    }

    /// procfs, sysfs and devfs show "regular" files whose contents are the kernel's (the process
    /// environment, memory maps), never a user's input. Judged by where the path really leads.
    private static func pseudoFileSystem(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        let real = String(cString: resolved)
        for root in ["/proc", "/sys", "/dev"] where real == root || real.hasPrefix(root + "/") {
            return root
        }
        return nil
    }
}
