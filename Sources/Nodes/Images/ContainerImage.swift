import Foundation

/// The image's OCI config, as `docker inspect` shows it under `Config`.
public struct ImageConfig: Sendable, Codable, Equatable {
    public var entrypoint: [String] = []
    public var cmd: [String] = []
    /// "KEY=VALUE", in the order the image set them.
    public var env: [String] = []
    public var workingDir: String = ""
    public var user: String = ""
    /// "3000/tcp".
    public var exposedPorts: [String] = []
    public var labels: [String: String] = [:]

    public init(entrypoint: [String] = [], cmd: [String] = [], env: [String] = [], workingDir: String = "",
                user: String = "", exposedPorts: [String] = [], labels: [String: String] = [:]) {
        self.entrypoint = entrypoint; self.cmd = cmd; self.env = env; self.workingDir = workingDir
        self.user = user; self.exposedPorts = exposedPorts; self.labels = labels
    }

    /// Sets one variable, replacing an earlier value in place (as Docker's ENV does).
    mutating func setEnv(_ key: String, _ value: String) {
        let entry = "\(key)=\(value)"
        if let i = env.firstIndex(where: { $0.hasPrefix(key + "=") }) { env[i] = entry } else { env.append(entry) }
    }

    /// The value of a variable the image sets, if any.
    public func envValue(_ key: String) -> String? {
        env.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    /// The PATH every image starts with (Docker's default for Linux images).
    static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
}

/// An image a node can run: where its files are and how to start it.
public struct ContainerImage: Sendable {
    /// Normalized as containerd reports it: "docker.io/library/myapp:1.0.0".
    public let reference: String
    /// For containerStatuses[].imageID: "docker.io/library/myapp@sha256:<64 hex>".
    public let imageID: String
    /// A directory holding the image's own files at their image paths (rootfs/app/server.js for
    /// `COPY . /app`); nil: the image is the host itself.
    public let rootfs: String?
    public let config: ImageConfig
    /// The absolute paths the image's files occupy (rootfs/app is "/app"), none inside another:
    /// the runtime shows `rootfs + path` at `path`, over the host's view.
    public let paths: [String]

    public init(reference: String, imageID: String, rootfs: String?, config: ImageConfig, paths: [String] = []) {
        self.reference = reference; self.imageID = imageID; self.rootfs = rootfs; self.config = config; self.paths = paths
    }
}

/// Why an image cannot be had, in the words of the kubelet's events.
public enum ImagePullError: Error, Sendable, Equatable {
    /// The message of the kubelet's InvalidImageName event (`Failed to apply default image tag ...`).
    case invalidReference(String)
    /// What follows `Failed to pull image "x": ` in the kubelet's event.
    case notFound(String)

    public var message: String {
        switch self {
        case .invalidReference(let m), .notFound(let m): m
        }
    }
}
