/// Traffic to the cluster's Services, as kube-proxy, CoreDNS and an Ingress controller carry it on
/// a real cluster: each reads Services, EndpointSlices and Ingresses through informers (never the
/// store) and copies bytes to the endpoints they list.
public enum Networking {
    /// kube-proxy's and the Ingress controller's user agent prefix in the API server's logs.
    public static let component = "kplane-networking"
}
