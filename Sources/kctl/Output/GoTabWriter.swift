/// Go's text/tabwriter (minwidth 0, padding 2, as kubectl's describe output uses): a column is
/// aligned over each run of consecutive lines that have a cell in it; a line's last cell is
/// never padded.
struct GoTabWriter {
    let minWidth: Int
    let padding: Int

    init(minWidth: Int = 0, padding: Int = 2) {
        self.minWidth = minWidth
        self.padding = padding
    }

    func format(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        var out = ""
        var widths: [Int] = []
        render(lines, 0, lines.count, &widths, &out)
        if out.hasSuffix("\n") && !text.hasSuffix("\n") { out.removeLast() }
        return out
    }

    private func render(_ lines: [[String]], _ from: Int, _ to: Int, _ widths: inout [Int], _ out: inout String) {
        let column = widths.count
        var line0 = from
        var this = from
        while this < to {
            if column >= lines[this].count - 1 {
                this += 1
                continue
            }
            write(lines, line0, this, widths, &out)
            line0 = this
            var width = minWidth
            while this < to, column < lines[this].count - 1 {
                width = max(width, lines[this][column].count + padding)
                this += 1
            }
            widths.append(width)
            render(lines, line0, this, &widths, &out)
            widths.removeLast()
            line0 = this
        }
        write(lines, line0, to, widths, &out)
    }

    private func write(_ lines: [[String]], _ from: Int, _ to: Int, _ widths: [Int], _ out: inout String) {
        guard from < to else { return }
        for i in from..<to {
            let cells = lines[i]
            for (j, c) in cells.enumerated() {
                out += c
                if j < widths.count && j < cells.count - 1 {
                    out += String(repeating: " ", count: max(0, widths[j] - c.count))
                }
            }
            if i < lines.count - 1 { out += "\n" }
        }
    }
}
