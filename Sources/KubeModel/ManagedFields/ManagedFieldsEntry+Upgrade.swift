extension ManagedFieldsEntry {
    /// The path of kubectl's client-side apply annotation, which tells client-side appliers.
    public static let lastAppliedPath = ["f:metadata", "f:annotations", "f:" + FieldManager.lastAppliedAnnotation]

    /// client-go's csaupgrade.UpgradeManagedFields: the fields client-side apply managers own
    /// through updates move to the server-side applier (its Apply entry, or the newest of their
    /// entries turned into one), and their update entries go.
    public static func upgrading(_ entries: [ManagedFieldsEntry], csaManagers: [String], ssaManager: String) -> [ManagedFieldsEntry] {
        var out = entries
        for csa in csaManagers {
            func isCSA(_ e: ManagedFieldsEntry) -> Bool { e.manager == csa && e.operation == .update && e.subresource.isEmpty }
            var target = out.firstIndex { $0.manager == ssaManager && $0.operation == .apply && $0.subresource.isEmpty }
            if target == nil, let i = out.firstIndex(where: isCSA) {
                out[i].operation = .apply
                out[i].manager = ssaManager
                target = i
            }
            guard let t = target else { continue }
            if let c = out.firstIndex(where: { isCSA($0) && $0.apiVersion == out[t].apiVersion }) {
                out[t].fields.formUnion(out[c].fields)
            }
            out.removeAll(where: isCSA)
        }
        return out
    }
}
