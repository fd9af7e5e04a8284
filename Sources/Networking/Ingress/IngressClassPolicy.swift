import KubeModel

/// Which Ingresses kplane's controller serves, as ingress-nginx decides: those naming its
/// IngressClass (`spec.ingressClassName`, or the older `kubernetes.io/ingress.class`
/// annotation), and those naming none while that class is the cluster's default.
public enum IngressClassPolicy {
    /// The IngressClass kplane creates at start.
    public static let className = "kplane"
    /// `spec.controller` of that class, in the `domain/ingress-controller` form other
    /// controllers use (`traefik.io/ingress-controller`, `projectcontour.io/ingress-controller`).
    public static let controllerName = "kplane.io/ingress-controller"
    public static let defaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class"
    public static let classAnnotation = "kubernetes.io/ingress.class"

    /// The IngressClass created when none named `kplane` exists, marked as the default class.
    public static var ingressClass: JSONValue {
        ["apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
         "metadata": ["name": .string(className), "annotations": .object([defaultClassAnnotation: "true"])],
         "spec": ["controller": .string(controllerName)]]
    }

    /// Whether the controller serves `ingress`, given the cluster's IngressClasses.
    public static func serves(_ ingress: Ingress, classes: [IngressClass]) -> Bool {
        let ours = classes.filter { $0.controller == controllerName }
        if let name = ingress.spec.ingressClassName ?? ingress.metadata.annotations[classAnnotation] {
            return ours.contains { $0.metadata.name == name }
        }
        // No class named: ours takes it when one of our classes is the default.
        return ours.contains { $0.isDefault }
    }
}
