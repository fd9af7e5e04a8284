import Foundation

extension ImageBuilder {
    /// `RUN`: user management (`addgroup`, `adduser`, `groupadd`, `useradd`) is written into the
    /// image's own `etc/group` and `etc/passwd`, never the host's; anything else runs on the host
    /// in a private mount namespace (`RunSandbox`) whose only writable paths are the image's.
    mutating func run(_ arguments: String, stage: inout Stage) throws {
        let exec = Dockerfile.execForm(arguments)
        if exec == nil, let commands = UserAccounts.commands(in: arguments) {
            var accounts = try UserAccounts(rootfs: stage.rootfs, fromHost: stage.base == "host")
            for c in commands { try accounts.apply(c) }
            try accounts.save()
            stage.claimed += ["/etc/passwd", "/etc/group"]
            options.log(" ---> recorded in the image's /etc/passwd and /etc/group (the host's are untouched)")
            return
        }
        let argv = exec ?? ["/bin/sh", "-c", arguments]
        let env = environment(stage).merging(["HOME": "/root"]) { old, _ in old }
        let sandbox = RunSandbox(rootfs: stage.rootfs, paths: ImageRecord.outermost(stage.claimed),
                                 workdir: stage.config.workingDir.isEmpty ? "/" : stage.config.workingDir, scratch: stage.dir)
        let discarded = try sandbox.run(argv, environment: env)
        if !discarded.isEmpty {
            let shown = discarded.prefix(10).joined(separator: ", ") + (discarded.count > 10 ? ", ..." : "")
            options.log(" ---> RUN changed paths outside the image's own (\(stage.claimed.isEmpty ? "none" : ImageRecord.outermost(stage.claimed).joined(separator: ", "))); discarded: \(shown)")
        }
    }
}

/// Runs a RUN command on the host so that it cannot change the host: in new mount and PID
/// namespaces, `/` is an overlay whose writes land in a tmpfs that vanishes with the namespace,
/// the image's own paths are bind-mounted from its directory (so writes there are kept),
/// `/proc` is the namespace's own, `/sys` read-only, `/dev` only the harmless devices.
struct RunSandbox {
    let rootfs: String
    let paths: [String]
    let workdir: String
    /// A directory of the build (on the host's disk) for the sandbox's mount point and report.
    let scratch: String

    static var available: Bool {
        #if os(Linux)
        return geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
        #else
        return false
        #endif
    }

    /// Runs `argv` and returns the paths it wrote outside the image's own, which were discarded.
    func run(_ argv: [String], environment: [String: String]) throws -> [String] {
        guard Self.available else {
            throw ImageBuildError("RUN needs a private mount namespace (Linux, as root, with unshare) so that it cannot change the host; this machine has none")
        }
        let box = scratch + "/run-sandbox", report = scratch + "/run-report"
        try FileManager.default.createDirectory(atPath: box, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: box); try? FileManager.default.removeItem(atPath: report) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        p.arguments = ["--mount", "--pid", "--fork", "--propagation", "private", "--", "/bin/sh", "-c", Self.script, "kplane-run"] + argv
        p.environment = environment.merging([
            "KPLANE_BOX": box, "KPLANE_ROOTFS": rootfs, "KPLANE_PATHS": paths.joined(separator: "\n"),
            "KPLANE_WORKDIR": workdir, "KPLANE_REPORT": report,
        ]) { _, new in new }
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw ImageBuildError("process \(ImageReference.goQuote(argv.joined(separator: " "))) did not complete successfully: exit code: \(p.terminationStatus)")
        }
        let listed = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        return listed.split(separator: "\n").map { String($0.dropFirst(1)) }.filter { changed in
            !paths.contains { changed == $0 || changed.hasPrefix($0 + "/") }
        }
    }

    /// The namespace's set-up, then the command chrooted into the overlay, then the list of files
    /// it left in the overlay's upper layer (what it wrote outside the image's paths).
    static let script = #"""
    set -e
    b="$KPLANE_BOX"; r="$KPLANE_ROOTFS"; wd="$KPLANE_WORKDIR"; report="$KPLANE_REPORT"; paths="$KPLANE_PATHS"
    unset KPLANE_BOX KPLANE_ROOTFS KPLANE_WORKDIR KPLANE_REPORT KPLANE_PATHS
    mount -t tmpfs tmpfs "$b"
    mkdir "$b/u" "$b/w" "$b/m"
    m="$b/m"
    mount -t overlay overlay -o "lowerdir=/,upperdir=$b/u,workdir=$b/w" "$m"
    printf '%s\n' "$paths" | while IFS= read -r p; do
      [ -n "$p" ] && [ -e "$r$p" ] || continue
      if [ -d "$r$p" ]; then mkdir -p "$m$p"; else mkdir -p "$(dirname "$m$p")"; [ -e "$m$p" ] || : > "$m$p"; fi
      mount --bind "$r$p" "$m$p"
    done
    mount -t proc proc "$m/proc"
    mount --bind /sys "$m/sys" && mount -o remount,bind,ro "$m/sys" || true
    mount -t tmpfs -o mode=755 tmpfs "$m/dev"
    for n in null zero full random urandom tty; do : > "$m/dev/$n"; mount --bind "/dev/$n" "$m/dev/$n"; done
    ln -s /proc/self/fd "$m/dev/fd"; ln -s /proc/self/fd/0 "$m/dev/stdin"; ln -s /proc/self/fd/1 "$m/dev/stdout"; ln -s /proc/self/fd/2 "$m/dev/stderr"
    mkdir "$m/dev/shm" "$m/dev/pts"
    mount -t tmpfs tmpfs "$m/tmp"
    mkdir -p "$m$wd"
    set +e
    chroot "$m" /bin/sh -c 'cd "$0" && exec "$@"' "$wd" "$@"
    rc=$?
    (cd "$b/u" && find . ! -type d) > "$report" 2>/dev/null
    exit $rc
    """#
}
