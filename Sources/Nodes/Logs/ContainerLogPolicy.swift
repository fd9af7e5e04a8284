/// How much of each container's output a node keeps: the kubelet's `containerLogMaxSize`
/// (a file is rotated once it reaches this size) and `containerLogMaxFiles` (files kept per
/// container instance, the live one included).
public struct ContainerLogPolicy: Sendable, Equatable {
    public var maxSize: Int
    public var maxFiles: Int

    /// The kubelet's defaults: 10Mi and 5.
    public init(maxSize: Int = 10 * 1024 * 1024, maxFiles: Int = 5) {
        self.maxSize = maxSize
        self.maxFiles = maxFiles
    }
}
