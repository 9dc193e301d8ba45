/// A retention heatmap: one row per cohort, one column per month offset, a coloured cell with its
/// value written inside, hatched cells where no value exists yet, and the pooled row set apart.
struct Heatmap {
    struct Row {
        var label: String
        var values: [Double?]
        /// The pooled row: drawn after a gap, label in bold.
        var emphasized: Bool
        /// Cohort size, written beside the label (nil: no size column).
        var customers: String? = nil
        /// Projected values where `values` has none: drawn over the hatching in italics with "≈".
        var projected: [Double?] = []
    }

    var text: ChartText
    var columnHeaders: [String]
    var columnAxisLabel: String
    var rows: [Row]
    /// Value at the light end of the colour scale (1 for 100%, more when revenue expands).
    var domainMax: Double
    /// Value at the dark end: the data's floor, so that 75% and 90% look apart when every cell
    /// sits between 60% and 100%. Values below it share its colour.
    var domainMin: Double = 0
    var format: (Double) -> String
    var legendTitle: String
    var incompleteLegend: String
    /// Some values exceed `domainMax` and share its colour: the legend says "≥".
    var clampedAbove = false
    /// Legend text of projected cells (shown when some row has projections).
    var projectedLegend = "projected"
    /// Header of the cohort-size column (shown when rows carry `customers`).
    var sizeHeader = "n"
    /// Text of a cell's hover title: row label, column header, formatted value.
    var cellTitle: (String, String, String) -> String = { "\($0) · \($1): \($2)" }

    /// A round floor under the smallest value, for `domainMin`: 0.634 → 0.6; never above 0.9
    /// (so a scale spans at least 10 points) and 0 when there is no value.
    static func floor(of values: [Double]) -> Double {
        guard let mn = values.filter(\.isFinite).min() else { return 0 }
        return max(0, min(0.9, (mn * 10).rounded(.down) / 10))
    }

    func render() -> String {
        // Cells widen to fit the longest column header (channel names), never narrower than 46.
        let widestHeader = columnHeaders.map { SVGBuilder.textWidth($0, size: 11) }.max() ?? 0
        let cellW = max(46.0, (widestHeader + 10).rounded(.up))
        let cellH = 26.0
        let gap = 10.0
        let nameW = min(200, max(90, rows.map { SVGBuilder.textWidth($0.label, size: 12) }.max() ?? 90) + 12)
        let sizeW =
            rows.contains { $0.customers != nil }
            ? max(44.0, (rows.compactMap { $0.customers.map { SVGBuilder.textWidth($0, size: 11) } }.max() ?? 0) + 14)
            : 0
        let labelW = nameW + sizeW
        let top = 44.0
        let gridTop = top
        let regular = rows.filter { !$0.emphasized }.count
        let pooled = rows.count - regular
        let gridH = Double(rows.count) * cellH + (pooled > 0 && regular > 0 ? gap : 0)
        let width = labelW + Double(max(columnHeaders.count, 1)) * cellW + 16
        let legendTop = gridTop + gridH + 20
        let height = legendTop + 56
        let projectedEnd =
            rows.contains { $0.projected.contains { $0 != nil } }
            ? 48 + SVGBuilder.textWidth(projectedLegend, size: 11) : 0
        let legendEnd = labelW + 216 + SVGBuilder.textWidth(incompleteLegend, size: 11) + projectedEnd
        var svg = SVGBuilder(width: max(width, legendEnd), height: height, text: text)
        svg.def(
            "<pattern id=\"\(text.id)-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#bdbdbd\" stroke-width=\"2\"/></pattern>"
        )
        var gradient = "<linearGradient id=\"\(text.id)-ramp\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">"
        for i in 0...10 {
            let t = Double(i) / 10
            gradient += "<stop offset=\"\(SVGBuilder.decimal2(t))\" stop-color=\"\(Palette.sequential(t))\"/>"
        }
        svg.def(gradient + "</linearGradient>")

        svg.text(
            labelW + Double(columnHeaders.count) * cellW / 2, 14, columnAxisLabel, anchor: .middle, size: 12,
            fill: Palette.muted)
        if sizeW > 0 { svg.text(labelW - 8, top - 8, sizeHeader, anchor: .end, size: 11, fill: Palette.muted) }
        for (k, header) in columnHeaders.enumerated() {
            svg.text(
                labelW + Double(k) * cellW + cellW / 2, top - 8, header, anchor: .middle, size: 11, fill: Palette.muted)
        }
        var y = gridTop
        var previousEmphasized = false
        for (r, row) in rows.enumerated() {
            if row.emphasized && !previousEmphasized && r > 0 {
                y += gap
                svg.line(
                    4, y - gap / 2, labelW + Double(columnHeaders.count) * cellW, y - gap / 2, stroke: Palette.muted,
                    width: 1)
            }
            previousEmphasized = row.emphasized
            svg.text(
                nameW - 8, y + cellH / 2 + 4, SVGBuilder.truncated(row.label, maxWidth: nameW - 12, size: 12),
                anchor: .end, size: 12, bold: row.emphasized)
            if let n = row.customers {
                svg.text(labelW - 8, y + cellH / 2 + 4, n, anchor: .end, size: 11, fill: Palette.muted)
            }
            for k in columnHeaders.indices {
                let x = labelW + Double(k) * cellW
                if k < row.values.count, let v = row.values[k] {
                    let t = domainMax > domainMin ? (v - domainMin) / (domainMax - domainMin) : 0
                    let hover = cellTitle(row.label, columnHeaders[k], format(v))
                    svg.raw("<g><title>\(Escaping.html(hover))</title>")
                    svg.rect(x + 1, y + 1, cellW - 2, cellH - 2, fill: Palette.sequential(t))
                    svg.text(
                        x + cellW / 2, y + cellH / 2 + 4, format(v), anchor: .middle, size: 11,
                        fill: Palette.textOnSequential(t), bold: row.emphasized)
                    svg.raw("</g>\n")
                } else {
                    svg.rect(x + 1, y + 1, cellW - 2, cellH - 2, fill: "url(#\(text.id)-hatch)")
                    if k < row.projected.count, let p = row.projected[k] {
                        let label = "≈" + format(p)
                        svg.raw(
                            "<g><title>\(Escaping.html(cellTitle(row.label, columnHeaders[k], projectedLegend + " " + label)))</title>"
                        )
                        svg.raw(
                            "<text x=\"\(SVGBuilder.num(x + cellW / 2))\" y=\"\(SVGBuilder.num(y + cellH / 2 + 4))\" font-size=\"10\" fill=\"\(Palette.muted)\" text-anchor=\"middle\" font-style=\"italic\">\(Escaping.html(label))</text>"
                        )
                        svg.raw("</g>\n")
                    }
                }
            }
            y += cellH
        }

        // Legend: the colour ramp with its end values, and the hatched "absent" swatch.
        svg.text(labelW, legendTop + 10, legendTitle, size: 11, fill: Palette.muted)
        svg.rect(
            labelW, legendTop + 16, 160, 12, fill: "url(#\(text.id)-ramp)",
            extra: [("stroke", Palette.muted), ("stroke-width", "0.5")])
        let clampedBelow = rows.contains { $0.values.contains { ($0 ?? domainMin) < domainMin } }
        svg.text(labelW, legendTop + 42, (clampedBelow ? "≤ " : "") + format(domainMin), size: 11, fill: Palette.muted)
        svg.text(
            labelW + 160, legendTop + 42, (clampedAbove ? "≥ " : "") + format(domainMax), anchor: .end, size: 11,
            fill: Palette.muted)
        svg.rect(
            labelW + 184, legendTop + 16, 18, 12, fill: "url(#\(text.id)-hatch)",
            extra: [("stroke", Palette.muted), ("stroke-width", "0.5")])
        svg.text(labelW + 208, legendTop + 26, incompleteLegend, size: 11, fill: Palette.muted)
        if rows.contains(where: { $0.projected.contains { $0 != nil } }) {
            let px = labelW + 216 + SVGBuilder.textWidth(incompleteLegend, size: 11) + 12
            svg.rect(
                px, legendTop + 16, 30, 12, fill: "url(#\(text.id)-hatch)",
                extra: [("stroke", Palette.muted), ("stroke-width", "0.5")])
            svg.raw(
                "<text x=\"\(SVGBuilder.num(px + 15))\" y=\"\(SVGBuilder.num(legendTop + 26))\" font-size=\"9\" fill=\"\(Palette.muted)\" text-anchor=\"middle\" font-style=\"italic\">≈</text>\n"
            )
            svg.text(px + 36, legendTop + 26, projectedLegend, size: 11, fill: Palette.muted)
        }
        return svg.render()
    }
}
