/// Name and label syntax checks with apimachinery's wording (validation.IsDNS1123Subdomain & co).
public enum Naming {
    static let dns1123SubdomainMsg =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let dns1123LabelMsg =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let dns1035LabelMsg =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    static let qualifiedNameMsg =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let labelValueMsg =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    static let configKeyMsg =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"

    // Byte-level checks: these run on every name, label and key of every write.
    private static func isLowerAlnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
    private static func isAlnum(_ b: UInt8) -> Bool { isLowerAlnum(b) || (b >= 65 && b <= 90) }
    private static let dash = UInt8(ascii: "-"), underscore = UInt8(ascii: "_"), dot = UInt8(ascii: ".")

    static func isDNS1123Label(_ s: String) -> Bool { isDNS1123Label(s.utf8) }

    static func isDNS1123Label<C: Collection<UInt8>>(_ u: C) -> Bool {
        guard let f = u.first, isLowerAlnum(f) else { return false }
        var last = f
        for b in u {
            guard isLowerAlnum(b) || b == dash else { return false }
            last = b
        }
        return isLowerAlnum(last)
    }

    /// nil when valid, else the message list (joined) kube-apiserver reports.
    public static func dns1123SubdomainProblem(_ s: String) -> String? {
        var problems: [String] = []
        if s.count > 253 { problems.append("must be no more than 253 characters") }
        if s.isEmpty || !s.utf8.split(separator: dot, omittingEmptySubsequences: false).allSatisfy({ isDNS1123Label($0) }) {
            problems.append(dns1123SubdomainMsg)
        }
        return problems.isEmpty ? nil : problems.joined(separator: ", ")
    }

    public static func dns1123LabelProblem(_ s: String) -> String? {
        var problems: [String] = []
        if s.count > 63 { problems.append("must be no more than 63 characters") }
        if !isDNS1123Label(s) { problems.append(dns1123LabelMsg) }
        return problems.isEmpty ? nil : problems.joined(separator: ", ")
    }

    public static func dns1035LabelProblem(_ s: String) -> String? {
        var problems: [String] = []
        if s.count > 63 { problems.append("must be no more than 63 characters") }
        if !(isDNS1123Label(s) && (s.utf8.first.map { $0 >= 97 && $0 <= 122 } ?? false)) { problems.append(dns1035LabelMsg) }
        return problems.isEmpty ? nil : problems.joined(separator: ", ")
    }

    private static func isQualifiedPart(_ s: Substring) -> Bool {
        let u = s.utf8
        guard let f = u.first, let l = u.last, isAlnum(f), isAlnum(l) else { return false }
        return u.allSatisfy { isAlnum($0) || $0 == dash || $0 == underscore || $0 == dot }
    }

    /// Label and annotation keys: optional DNS subdomain prefix, then a name part of at most 63 chars.
    public static func qualifiedNameProblem(_ s: String) -> String? {
        guard s.utf8.contains(UInt8(ascii: "/")) else {
            if s.isEmpty { return "name part must be non-empty" }
            if s.utf8.count > 63 { return "name part must be no more than 63 characters" }
            return isQualifiedPart(Substring(s)) ? nil : qualifiedNameMsg
        }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        var name = Substring(s)
        if parts.count == 2 {
            if parts[0].isEmpty { return "prefix part must be non-empty" }
            if let p = dns1123SubdomainProblem(String(parts[0])) { return "prefix part \(p)" }
            name = parts[1]
        } else if parts.count > 2 {
            return "a qualified name " + qualifiedNameMsg.replacingFirst("name part ", with: "")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        }
        if name.isEmpty { return "name part must be non-empty" }
        if name.count > 63 { return "name part must be no more than 63 characters" }
        if !isQualifiedPart(name) { return qualifiedNameMsg }
        return nil
    }

    public static func labelValueProblem(_ s: String) -> String? {
        if s.isEmpty { return nil }
        if s.count > 63 { return "must be no more than 63 characters" }
        if !isQualifiedPart(Substring(s)) { return labelValueMsg }
        return nil
    }

    public static func configKeyProblem(_ s: String) -> String? {
        if s.isEmpty || !s.utf8.allSatisfy({ isAlnum($0) || $0 == dash || $0 == underscore || $0 == dot }) { return configKeyMsg }
        if s == "." || s == ".." { return "must not be '\(s)'" }
        return nil
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = firstRange(of: target) else { return self }
        return String(self[..<r.lowerBound]) + replacement + String(self[r.upperBound...])
    }
}
