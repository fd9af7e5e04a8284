import CContainerShim
import Foundation
import KubeModel

/// A container's own view of the filesystem, where the machine allows it (root): an overlay of
/// the host's root whose upper layer is the instance's own, so what it writes stays its own,
/// with the image's paths over it (so `/app` is the image's and `/usr/bin/node` the host's); the host's /dev and /sys; its volumes at their `mountPath`s; the kubelet's
/// /etc/hosts. The mounts are made in the container's mount namespace, so nothing shows
/// outside and they go when its processes do.
struct ContainerRoot {
    let directory: String
    var merged: String { directory + "/merged" }

    init(podDir: String, container: String, instance: Int) {
        directory = "\(podDir)/containers/\(container)/\(instance)"
    }

    /// Makes the upper, work and mount-point directories and returns the mounts.
    func mounts(image: ContainerImage, volumeMounts: [VolumeMount], volumes: [String: String], hostsFile: String,
                resolvConf: String? = nil) throws -> [ContainerMount] {
        let fm = FileManager.default
        try? fm.removeItem(atPath: directory)
        for d in ["upper", "work", "merged"] { try fm.createDirectory(atPath: directory + "/" + d, withIntermediateDirectories: true) }
        var mounts: [ContainerMount] = [
            ContainerMount(source: "overlay", target: merged, fstype: "overlay", flags: 0,
                           data: "lowerdir=/,upperdir=\(directory)/upper,workdir=\(directory)/work"),
            ContainerMount(source: "/dev", target: merged + "/dev", fstype: nil, flags: UInt(MS_BIND | MS_REC), data: nil, create: 1),
            .bind("/sys", merged + "/sys", readOnly: true),
            .bind(hostsFile, merged + "/etc/hosts", file: true),
        ]
        if let resolvConf { mounts.append(.bind(resolvConf, merged + "/etc/resolv.conf", file: true)) }
        // The image's own paths over the host's: each directory an overlay of its own (overlayfs
        // refuses a lower layer inside another, so the image cannot be a second lower of "/"),
        // copy-on-write like an image layer; single files (its passwd, group) read-only.
        if let rootfs = image.rootfs {
            for (i, path) in image.paths.enumerated() where path.hasPrefix("/") {
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: rootfs + path, isDirectory: &isDir) else { continue }
                if isDir.boolValue {
                    let layer = "\(directory)/image\(i)"
                    for d in ["upper", "work"] { try fm.createDirectory(atPath: layer + "/" + d, withIntermediateDirectories: true) }
                    mounts.append(ContainerMount(source: "overlay", target: merged + path, fstype: "overlay", flags: 0,
                                                 data: "lowerdir=\(rootfs + path),upperdir=\(layer)/upper,workdir=\(layer)/work", create: 1))
                } else {
                    mounts.append(.bind(rootfs + path, merged + path, readOnly: true, file: true))
                }
            }
        }
        for m in volumeMounts {
            guard var source = volumes[m.name], m.mountPath.hasPrefix("/") else { continue }
            if let sub = m.subPath, !sub.isEmpty, !sub.contains("..") { source += "/" + sub }
            var isDir: ObjCBool = false
            let exists = fm.fileExists(atPath: source, isDirectory: &isDir)
            if !exists { try fm.createDirectory(atPath: source, withIntermediateDirectories: true); isDir = true }
            mounts.append(.bind(source, merged + m.mountPath, readOnly: m.readOnly, file: !isDir.boolValue))
        }
        return mounts
    }

    /// Removes the instance's layer once it has exited.
    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// The kubelet's managed /etc/hosts for a pod.
    static func hosts(podIP: String, hostname: String) -> String {
        """
        # Kubernetes-managed hosts file.
        127.0.0.1\tlocalhost
        ::1\tlocalhost ip6-localhost ip6-loopback
        fe00::0\tip6-localnet
        fe00::0\tip6-mcastprefix
        fe00::1\tip6-allnodes
        fe00::2\tip6-allrouters
        \(podIP)\t\(hostname)

        """
    }
}
