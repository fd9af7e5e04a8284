/// The User-Agent each component sends, as Kubernetes' own components do: kube-apiserver records
/// the writes of a client that sends no `fieldManager` under the product name before the `/`.
public enum UserAgent {
    public static let controllerManager = "kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/kplane"
    public static let scheduler = "kube-scheduler/v1.32.0 (linux/amd64) kubernetes/kplane"
    public static let kubelet = "kubelet/v1.32.0 (linux/amd64) kubernetes/kplane"
    public static let kctl = "kctl/v1.32.0 (linux/amd64) kplane"
}
