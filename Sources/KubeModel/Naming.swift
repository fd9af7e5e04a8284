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

    private static func isLowerAlnum(_ c: Character) -> Bool { ("a"..."z").contains(c) || ("0"..."9").contains(c) }
    private static func isAlnum(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    static func isDNS1123Label(_ s: String) -> Bool {
        guard let f = s.first, let l = s.last, isLowerAlnum(f), isLowerAlnum(l) else { return false }
        return s.allSatisfy { isLowerAlnum($0) || $0 == "-" }
    }

    /// nil when valid, else the message list (joined) kube-apiserver reports.
    public static func dns1123SubdomainProblem(_ s: String) -> String? {
        var problems: [String] = []
        if s.count > 253 { problems.append("must be no more than 253 characters") }
        if s.isEmpty || !s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ isDNS1123Label(String($0)) }) {
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
        if !(isDNS1123Label(s) && (s.first?.isLetter ?? false)) { problems.append(dns1035LabelMsg) }
        return problems.isEmpty ? nil : problems.joined(separator: ", ")
    }

    private static func isQualifiedPart(_ s: Substring) -> Bool {
        guard let f = s.first, let l = s.last, isAlnum(f), isAlnum(l) else { return false }
        return s.allSatisfy { isAlnum($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    /// Label and annotation keys: optional DNS subdomain prefix, then a name part of at most 63 chars.
    public static func qualifiedNameProblem(_ s: String) -> String? {
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
        if s.isEmpty || !s.allSatisfy({ isAlnum($0) || $0 == "-" || $0 == "_" || $0 == "." }) { return configKeyMsg }
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
