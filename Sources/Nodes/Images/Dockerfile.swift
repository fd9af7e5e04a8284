import Foundation

/// A Dockerfile as instructions with the line each starts on: comments and blank lines dropped,
/// `\` continuations joined as Docker joins them (the backslash and newline removed, nothing added).
struct Dockerfile {
    struct Instruction {
        /// 1-based line of the instruction's first line.
        let line: Int
        /// Upper-cased: "FROM", "COPY".
        let keyword: String
        /// Everything after the keyword, leading blanks removed.
        let arguments: String
    }

    let instructions: [Instruction]

    init(_ text: String) {
        var out: [Instruction] = []
        var pending = ""
        var start = 0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("#") || (trimmed.isEmpty && pending.isEmpty) { continue }
            if pending.isEmpty { start = i + 1 }
            var body = line
            while body.last == " " || body.last == "\t" { body.removeLast() }
            if body.hasSuffix("\\") {
                pending += body.dropLast()
                continue
            }
            pending += line
            Self.append(pending, line: start, to: &out)
            pending = ""
        }
        if !pending.isEmpty { Self.append(pending, line: start, to: &out) }
        instructions = out
    }

    private static func append(_ text: String, line: Int, to out: inout [Instruction]) {
        let t = text.drop { $0 == " " || $0 == "\t" }
        guard !t.isEmpty else { return }
        let keyword = t.prefix { $0 != " " && $0 != "\t" }
        let rest = t.dropFirst(keyword.count).drop { $0 == " " || $0 == "\t" }
        out.append(Instruction(line: line, keyword: keyword.uppercased(), arguments: String(rest)))
    }

    /// The exec form (`["node", "server.js"]`), or nil for the shell form.
    static func execForm(_ s: String) -> [String]? {
        guard s.hasPrefix("["), let data = s.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return nil }
        let strings = array.compactMap { $0 as? String }
        return strings.count == array.count ? strings : nil
    }

    /// Leading `--name=value` flags (`COPY --from=builder a b`) and the rest.
    static func flags(_ s: String) -> (flags: [String: String], rest: String) {
        var flags: [String: String] = [:]
        var rest = Substring(s)
        while rest.hasPrefix("--") {
            let word = rest.prefix { $0 != " " && $0 != "\t" }
            let kv = word.dropFirst(2).split(separator: "=", maxSplits: 1)
            flags[String(kv.first ?? "")] = kv.count > 1 ? String(kv[1]) : "true"
            rest = rest.dropFirst(word.count).drop { $0 == " " || $0 == "\t" }
        }
        return (flags, String(rest))
    }
}

/// Docker's word processing for ADD, COPY, ENV, EXPOSE, FROM, LABEL, USER, WORKDIR, ARG:
/// words split at blanks outside quotes, `$VAR`, `${VAR}`, `${VAR:-word}` and `${VAR:+word}`
/// expanded (not inside single quotes), quotes removed, `\` escaping the next character.
struct ShellWords {
    let env: [String: String]

    func words(_ s: String) -> [String] { process(s, split: true) }

    /// One word: `s` with variables expanded and quotes removed, blanks kept.
    func word(_ s: String) -> String { process(s, split: false).first ?? "" }

    private func process(_ s: String, split: Bool) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var chars = Array(s)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case " " where split, "\t" where split, "\n" where split:
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                while let d = chars.first, d != "'" { current.append(d); chars = chars.dropFirst() }
                chars = chars.dropFirst()
            case "\"":
                inWord = true
                while let d = chars.first, d != "\"" {
                    chars = chars.dropFirst()
                    if d == "\\", let e = chars.first, "\"\\$".contains(e) { current.append(e); chars = chars.dropFirst() }
                    else if d == "$" { current += expand(&chars) }
                    else { current.append(d) }
                }
                chars = chars.dropFirst()
            case "\\":
                inWord = true
                if let d = chars.first { current.append(d); chars = chars.dropFirst() }
            case "$":
                inWord = true
                current += expand(&chars)
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// After a `$`: the variable's value, or `$` itself when no name follows.
    private func expand(_ chars: inout ArraySlice<Character>) -> String {
        if chars.first == "{" {
            guard let close = chars.firstIndex(of: "}") else { return "$" }
            let inner = String(chars[chars.index(after: chars.startIndex)..<close])
            chars = chars[chars.index(after: close)...]
            if let r = inner.range(of: ":-") { return nonEmpty(String(inner[..<r.lowerBound])) ?? word(String(inner[r.upperBound...])) }
            if let r = inner.range(of: ":+") { return nonEmpty(String(inner[..<r.lowerBound])) == nil ? "" : word(String(inner[r.upperBound...])) }
            return env[inner] ?? ""
        }
        let name = chars.prefix { $0.isWord }
        guard !name.isEmpty else { return "$" }
        chars = chars.dropFirst(name.count)
        return env[String(name)] ?? ""
    }

    private func nonEmpty(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
}
