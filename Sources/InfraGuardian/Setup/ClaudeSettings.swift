import Foundation

/// `init --claude`: the `UserPromptSubmit` hook in `.claude/settings.json` and the MCP server in
/// `.mcp.json`, merged into what is there. Every key already in either file is kept; a file that
/// does not parse, or whose keys have the wrong type, is refused rather than rewritten.
enum ClaudeSettings {
    static let settingsPath = ".claude/settings.json"
    static let mcpPath = ".mcp.json"
    static let serverName = "infra-guardian"
    static let hookTimeoutSeconds = 30

    /// What would be written: the new text, or nil when the file already says it all.
    struct Change {
        var path: String
        var text: String?
        var existed: Bool
        var line: String
    }

    /// The hook's shell command: the program is quoted when it holds anything a shell would split
    /// or expand (an absolute path with spaces).
    static func hookCommand(_ program: String) -> String {
        "\(shellWord(program)) agent --format claude-hook"
    }

    static func shellWord(_ word: String) -> String {
        let safe = !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+:@%=,".contains($0)) }
        return safe ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func settings(_ root: String, program: String) throws -> Change {
        try checkClaudeFolder(root)
        let existing = try readObject(root, settingsPath)
        var top = existing ?? [:]
        var hooks = try member(top, "hooks", of: settingsPath, as: [String: Any].self, "an object") ?? [:]
        var groups = try member(hooks, "UserPromptSubmit", of: settingsPath, as: [Any].self, "an array", key: "hooks.UserPromptSubmit") ?? []
        let command = hookCommand(program)
        if commands(in: groups).contains(where: { $0.contains("infra-guardian agent") || $0.contains(command) }) {
            return Change(path: settingsPath, text: nil, existed: true,
                          line: "left \(settingsPath) unchanged: a UserPromptSubmit hook already runs infra-guardian agent")
        }
        groups.append(["hooks": [["type": "command", "command": command, "timeout": hookTimeoutSeconds] as [String: Any]]])
        hooks["UserPromptSubmit"] = groups
        top["hooks"] = hooks
        let kept = existing.map { ", \($0.count) existing top-level key\($0.count == 1 ? "" : "s") kept" } ?? ""
        return Change(path: settingsPath, text: try encode(top, settingsPath), existed: existing != nil,
                      line: "\(existing == nil ? "wrote" : "updated") \(settingsPath): UserPromptSubmit hook `\(command)`\(kept)")
    }

    static func mcp(_ root: String, program: String) throws -> Change {
        let existing = try readObject(root, mcpPath)
        var top = existing ?? [:]
        var servers = try member(top, "mcpServers", of: mcpPath, as: [String: Any].self, "an object") ?? [:]
        if servers[serverName] != nil {
            return Change(path: mcpPath, text: nil, existed: true,
                          line: "left \(mcpPath) unchanged: it already has an \(serverName) server (kept as it is)")
        }
        let others = servers.count
        servers[serverName] = ["command": program, "args": ["mcp"]] as [String: Any]
        top["mcpServers"] = servers
        let kept = others == 0 ? "" : ", \(others) other server\(others == 1 ? "" : "s") kept"
        return Change(path: mcpPath, text: try encode(top, mcpPath), existed: existing != nil,
                      line: "\(existing == nil ? "wrote" : "updated") \(mcpPath): MCP server \(serverName) (`\(shellWord(program)) mcp`)\(kept)")
    }

    /// Every `command` of every hook in the matcher groups (entries of other shapes are kept, not read).
    private static func commands(in groups: [Any]) -> [String] {
        groups.compactMap { $0 as? [String: Any] }.flatMap { group in
            (group["hooks"] as? [Any] ?? []).compactMap { ($0 as? [String: Any])?["command"] as? String }
        }
    }

    /// `.claude` may be missing (it is created) or a folder; a link is followed only into the project.
    private static func checkClaudeFolder(_ root: String) throws {
        switch ProjectTree.kind(root, ".claude") {
        case nil, S_IFDIR?: return
        case S_IFLNK?:
            let target = ProjectTree.join(root, ".claude")
            guard let resolved = realpath(target, nil) else {
                throw SessionError(".claude is a symbolic link that leads nowhere: \(settingsPath) not written")
            }
            defer { free(resolved) }
            let real = String(cString: resolved)
            guard real.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
                throw SessionError(".claude is a symbolic link out of the project: \(settingsPath) not written")
            }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: real, isDirectory: &isFolder), isFolder.boolValue else {
                throw SessionError(".claude is a symbolic link to something that is not a folder: \(settingsPath) not written")
            }
        default:
            throw SessionError(".claude exists and is not a folder: \(settingsPath) not written")
        }
    }

    /// The file's top-level object, or nil when there is no file.
    private static func readObject(_ root: String, _ relative: String) throws -> [String: Any]? {
        switch ProjectTree.kind(root, relative) {
        case nil: return nil
        case S_IFREG?: break
        case S_IFLNK?: throw SessionError("\(relative) is a symbolic link: not written through (nothing was written)")
        default: throw SessionError("\(relative) is not a regular file (nothing was written)")
        }
        let text: String
        switch RegularFile.text(ProjectTree.join(root, relative), limit: RegularFile.configurationLimit) {
        case .success(let contents): text = contents
        case .failure(let refusal): throw SessionError("cannot read \(relative): \(refusal.reason) (nothing was written)")
        }
        let value: Any
        do { value = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
            throw SessionError("\(relative) is not valid JSON: left unchanged and nothing was written; fix it and run init again")
        }
        guard let object = value as? [String: Any] else {
            throw SessionError("\(relative): the top level is not a JSON object: left unchanged and nothing was written")
        }
        return object
    }

    private static func member<T>(_ object: [String: Any], _ name: String, of file: String, as type: T.Type,
                                  _ expected: String, key: String? = nil) throws -> T? {
        guard let value = object[name] else { return nil }
        guard let typed = value as? T else {
            throw SessionError("\(file): \"\(key ?? name)\" is not \(expected): left unchanged and nothing was written")
        }
        return typed
    }

    private static func encode(_ object: [String: Any], _ file: String) throws -> String {
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self) + "\n"
        } catch {
            throw SessionError("cannot encode \(file): \(error.localizedDescription)")
        }
    }
}
