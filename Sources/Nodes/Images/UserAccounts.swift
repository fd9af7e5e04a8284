import Foundation

/// The image's own `etc/passwd` and `etc/group`, changed by the user-management commands a
/// Dockerfile runs (`addgroup`, `adduser` in Alpine's and Debian's spellings, `groupadd`,
/// `useradd`): running them on the host would add users to the host.
struct UserAccounts {
    private let rootfs: String
    private var passwd: [[String]]
    private var group: [[String]]

    /// The commands of a RUN that consists only of user management (joined by `&&` or `;`), or nil.
    static func commands(in shell: String) -> [[String]]? {
        let parts = shell.replacingOccurrences(of: "&&", with: ";").split(separator: ";")
        let commands = parts.map { ShellWords(env: [:]).words(String($0)) }.filter { !$0.isEmpty }
        let known: Set<String> = ["addgroup", "adduser", "groupadd", "useradd"]
        guard !commands.isEmpty, commands.allSatisfy({ known.contains(($0[0] as NSString).lastPathComponent) }) else { return nil }
        return commands
    }

    /// Starts from the image's files, else the host's (for an image on a host runtime), else root alone.
    init(rootfs: String, fromHost: Bool) throws {
        self.rootfs = rootfs
        func read(_ name: String, _ fallback: String) -> [[String]] {
            let text = (try? String(contentsOfFile: rootfs + "/etc/" + name, encoding: .utf8))
                ?? (fromHost ? (try? String(contentsOfFile: "/etc/" + name, encoding: .utf8)) : nil) ?? fallback
            return text.split(separator: "\n").map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
        }
        passwd = read("passwd", "root:x:0:0:root:/root:/bin/sh\n")
        group = read("group", "root:x:0:root\n")
    }

    func save() throws {
        try FileManager.default.createDirectory(atPath: rootfs + "/etc", withIntermediateDirectories: true)
        try Data((passwd.map { $0.joined(separator: ":") }.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: rootfs + "/etc/passwd"))
        try Data((group.map { $0.joined(separator: ":") }.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: rootfs + "/etc/group"))
    }

    mutating func apply(_ argv: [String]) throws {
        let tool = (argv[0] as NSString).lastPathComponent
        var opts: [String: String] = [:]
        var names: [String] = []
        // Options that take a value, per tool (busybox's -g is a GID for addgroup, GECOS for adduser).
        let valued: Set<String> = switch tool {
        case "addgroup": ["-g", "--gid"]
        case "adduser": ["-h", "-g", "-s", "-G", "-u", "-k", "--uid", "--gid", "--ingroup", "--home", "--shell", "--gecos", "--comment"]
        case "groupadd": ["-g", "--gid", "-K", "-p"]
        default: ["-u", "-g", "-G", "-d", "-s", "-c", "-k", "-e", "-f", "-K", "-p", "--uid", "--gid", "--groups", "--home-dir", "--shell", "--comment"]
        }
        var i = 1
        while i < argv.count {
            var a = argv[i]
            if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
                opts[String(a[..<eq])] = String(a[a.index(after: eq)...]); i += 1; continue
            }
            if valued.contains(a), i + 1 < argv.count { opts[a] = argv[i + 1]; i += 2; continue }
            if a.hasPrefix("-") && !a.hasPrefix("--") && a.count > 2 {  // bundled short flags: -SD
                for c in a.dropFirst() { opts["-" + String(c)] = "" }
                i += 1; continue
            }
            if a.hasPrefix("-") { opts[a] = ""; a = "" }
            if !a.isEmpty { names.append(a) }
            i += 1
        }
        let system = opts["-S"] != nil || opts["--system"] != nil || opts["-r"] != nil
        switch tool {
        case "addgroup", "groupadd":
            if tool == "addgroup", names.count == 2 { return try addMember(names[0], to: names[1]) }
            guard let name = names.first else { throw ImageBuildError("\(tool): a group name is required") }
            let gid = try number(opts["-g"] ?? opts["--gid"], tool) ?? freeID(in: group, system: system)
            try addGroup(name, gid: gid, tool: tool)
        default:
            guard let name = names.first else { throw ImageBuildError("\(tool): a user name is required") }
            guard !passwd.contains(where: { $0.first == name }) else { throw ImageBuildError("\(tool): user '\(name)' in use") }
            let uid = try number(opts["-u"] ?? opts["--uid"], tool) ?? freeID(in: passwd, system: system)
            let groupName = opts["-G"].flatMap { tool == "adduser" ? $0 : nil } ?? opts["--ingroup"] ?? (tool == "useradd" ? opts["-g"] : nil) ?? (names.count > 1 ? names[1] : nil)
            var gid: Int
            if let groupName, let g = group.first(where: { $0.first == groupName || (Int(groupName) != nil && $0.count > 2 && $0[2] == groupName) }), g.count > 2, let n = Int(g[2]) {
                gid = n
            } else if let groupName {
                throw ImageBuildError("\(tool): unknown group \(groupName)")
            } else if let g = group.first(where: { $0.first == name }), g.count > 2, let n = Int(g[2]) {
                gid = n
            } else if system && tool == "adduser" && opts["--system"] != nil {
                gid = 65534  // Debian's adduser --system: nogroup
            } else {
                gid = group.contains { $0.count > 2 && $0[2] == String(uid) } ? freeID(in: group, system: system) : uid
                try addGroup(name, gid: gid, tool: tool)
            }
            let gecos = (tool == "adduser" ? opts["-g"] ?? opts["--gecos"] : opts["-c"]) ?? opts["--comment"] ?? (tool == "adduser" && opts["--system"] == nil ? "Linux User,,," : "")
            let home = opts["-h"] ?? opts["--home"] ?? opts["-d"] ?? opts["--home-dir"] ?? "/home/" + name
            let shell = opts["-s"] ?? opts["--shell"] ?? (system ? "/sbin/nologin" : "/bin/sh")
            passwd.append([name, "x", String(uid), String(gid), gecos, home, shell])
        }
    }

    private mutating func addGroup(_ name: String, gid: Int, tool: String) throws {
        guard !group.contains(where: { $0.first == name }) else { throw ImageBuildError("\(tool): group '\(name)' in use") }
        group.append([name, "x", String(gid), ""])
    }

    private mutating func addMember(_ user: String, to name: String) throws {
        guard let i = group.firstIndex(where: { $0.first == name }), group[i].count > 3 else { throw ImageBuildError("addgroup: unknown group \(name)") }
        group[i][3] = group[i][3].isEmpty ? user : group[i][3] + "," + user
    }

    private func number(_ s: String?, _ tool: String) throws -> Int? {
        guard let s else { return nil }
        guard let n = Int(s), n >= 0 else { throw ImageBuildError("\(tool): invalid number '\(s)'") }
        return n
    }

    /// The next id above those in use: from 100 for system accounts, from 1000 otherwise.
    private func freeID(in table: [[String]], system: Bool) -> Int {
        let used = Set(table.compactMap { $0.count > 2 ? Int($0[2]) : nil })
        var id = system ? 100 : 1000
        while used.contains(id) { id += 1 }
        return id
    }
}
