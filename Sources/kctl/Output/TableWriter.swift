/// Aligns columns as kubectl's tabwriter does (min width 6, padding 3, last column unpadded).
struct TableWriter {
    var rows: [[String]] = []
    /// Column widths to keep (a watch keeps the widths of the listing it follows).
    var minimumWidths: [Int] = []

    mutating func add(_ row: [String]) { rows.append(row) }

    var widths: [Int] {
        let count = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: count)
        for (i, w) in minimumWidths.enumerated() where i < count { widths[i] = w }
        for r in rows {
            for (i, c) in r.enumerated() where i < count - 1 { widths[i] = max(widths[i], max(c.count + 3, 6)) }
        }
        return widths
    }

    func render() -> String {
        guard let count = rows.map(\.count).max(), count > 0 else { return "" }
        let widths = self.widths
        var out = ""
        for r in rows {
            var line = ""
            for (i, c) in r.enumerated() {
                if i == r.count - 1 {
                    line += c
                } else {
                    line += c + String(repeating: " ", count: max(widths[i] - c.count, 0))
                }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
