import Foundation

/// The seed's app (`manifests/app`) as `myapp:1.0.0`, `myapp:2.0.0` (answers with its new
/// version) and `myapp:3.0.0` (its readiness probe never passes), so that the guide's `set
/// image`, `rollout status` and `rollout undo` tell their story.
public enum SeedImages {
    public static let builds: [(tag: String, args: [String: String])] = [
        ("myapp:1.0.0", ["APP_VERSION": "1.0.0"]),
        ("myapp:2.0.0", ["APP_VERSION": "2.0.0"]),
        ("myapp:3.0.0", ["APP_VERSION": "3.0.0", "WARMUP_MS": "never"]),
    ]

    /// The app's sources in this source tree.
    public static var appDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("manifests/app").path
    }

    /// Builds the tags the store does not have yet.
    public static func ensure(in store: ImageStore) throws {
        let missing = builds.filter { store.entry($0.tag) == nil }
        guard !missing.isEmpty else { return }
        let dir = appDirectory
        guard FileManager.default.fileExists(atPath: dir + "/Dockerfile") else {
            throw ImageBuildError("the seed's app is not at \(dir) (kplane runs away from its source tree); build it with `kplane image build -t myapp:1.0.0 DIR` from a checkout's manifests/app")
        }
        for b in missing {
            _ = try ImageBuilder.build(store: store, context: dir, options: ImageBuildOptions(tags: [b.tag], buildArgs: b.args))
        }
    }
}
