import Foundation

/// Hazard ratios with 95% intervals on a log scale, with a reference line at 1. Rows of one group
/// (a dimension's levels) come under a heading line with the group's name, so each row's label
/// is only its level: on a phone "acquisition channel: paid_social" would be cut to the same
/// "acquisition channe…" on every row of the dimension.
struct ForestPlot {
    struct Row {
        var label: String
        var ratio: Double?
        var lower: Double?
        var upper: Double?
        /// The heading the row comes under; a heading line is drawn where it changes.
        var group: String? = nil
    }

    var text: ChartText
    var rows: [Row]
    var axisLabel: String
    var number: (Double) -> String
    /// For phones: the whole chart fits this width (labels and plot narrow, text keeps its size).
    var maxWidth: Double? = nil

    /// The chart's lines top to bottom: a group's heading, then its rows.
    var lines: [(heading: String?, row: Row?)] {
        var lines: [(heading: String?, row: Row?)] = []
        var group: String?
        for r in rows {
            if let g = r.group, g != group { lines.append((g, nil)) }
            group = r.group
            lines.append((nil, r))
        }
        return lines
    }

    func render() -> String {
        let rowH = 24.0
        let lines = self.lines
        let frame = ChartFrame(
            labels: rows.map(\.label), least: 100, widest: 260, narrowest: 150, plotW: 380, leastPlotW: 120,
            right: 30, plotH: Double(max(lines.count, 1)) * rowH, maxWidth: maxWidth)
        let (labelW, plotW, top, plotH, width) = (frame.left, frame.plotW, frame.top, frame.plotH, frame.width)
        var svg = SVGBuilder(width: width, height: top + plotH + 48, text: text)
        let candidates: [Double] = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20]
        let values = rows.flatMap { [$0.lower, $0.ratio, $0.upper].compactMap { $0 } }.filter { $0 > 0 && $0.isFinite }
        let lo = candidates.last { $0 <= min(values.min() ?? 0.5, 0.5) } ?? 0.05
        let hi = candidates.first { $0 >= max(values.max() ?? 2, 2) } ?? 20
        func x(_ v: Double) -> Double {
            let c = max(lo, min(hi, v))
            return labelW + (log(c) - log(lo)) / (log(hi) - log(lo)) * plotW
        }
        for tick in candidates where tick >= lo && tick <= hi {
            svg.line(
                x(tick), top, x(tick), top + plotH, stroke: tick == 1 ? Palette.ink : Palette.grid,
                width: tick == 1 ? 1.2 : 1, dash: tick == 1 ? "4 3" : nil)
            svg.text(x(tick), top + plotH + 14, number(tick), anchor: .middle, size: 11, fill: Palette.muted)
        }
        svg.text(
            width / 2, top + plotH + 34, SVGBuilder.truncated(axisLabel, maxWidth: width - 8, size: 12),
            anchor: .middle, size: 12)
        for (i, line) in lines.enumerated() {
            let cy = top + Double(i) * rowH + rowH / 2
            if let heading = line.heading {
                // Across the label column and the plot, left-aligned, on a band of the page's white
                // that hides the grid lines behind it (bold text runs about a tenth wider).
                let shown = SVGBuilder.truncated(heading, maxWidth: width - 8, size: 12)
                svg.rect(
                    0, cy - rowH / 2 + 2, min(width, SVGBuilder.textWidth(shown, size: 12) * 1.1 + 10), rowH - 4,
                    fill: "#ffffff")
                svg.label(4, cy + 4, shown, maxWidth: width - 8, full: heading, size: 12, bold: true)
                continue
            }
            guard let row = line.row else { continue }
            svg.rowLabel(row.label, columnWidth: labelW, y: cy + 4)
            if let l = row.lower, let u = row.upper, l > 0, u > 0 {
                svg.line(x(l), cy, x(u), cy, stroke: Palette.color(1), width: 1.6)
            }
            if let r = row.ratio, r > 0 {
                svg.rect(x(r) - 5, cy - 5, 10, 10, fill: Palette.color(1))
            }
        }
        return svg.render()
    }
}
