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

    /// The colour of a cell's value on a light cell (set once on the cells' group).
    static let cellInk = "#000000"

    /// The widest a cell grows for its column header: room for about 19 letters or 11 CJK
    /// characters at 11 px, so six channels still fit a desktop page.
    static let widestCell = 130.0

    /// A round floor under the smallest value, for `domainMin`: 0.634 → 0.6; never above 0.9
    /// (so a scale spans at least 10 points) and 0 when there is no value.
    static func floor(of values: [Double]) -> Double {
        guard let mn = values.filter(\.isFinite).min() else { return 0 }
        return max(0, min(0.9, (mn * 10).rounded(.down) / 10))
    }

    /// The heatmap as HTML: the row labels (and cohort sizes) in one SVG, the cells with their
    /// column headers and legend in a second, side by side in a `.heatmap` box. On a wide screen
    /// the two scale together (each box's flex weight is its drawn width, the pair's maximum the
    /// sum), so they read as one chart; on a phone they keep their natural size, the cells scroll
    /// sideways and the labels stay put (Stylesheet's `.heatmap-labels` is sticky), so a row's
    /// cohort is still in view beside month 24.
    func render() -> String {
        let l = layout
        let labels = renderLabels(l)
        let cells = renderCells(l)
        return "<div class=\"heatmap\" style=\"--heatmap-width: \(SVGBuilder.num(labels.width + cells.width))px\">"
            + "<div class=\"heatmap-labels\" style=\"\(Self.size(labels.width))\">\n"
            + labels.render() + "\n</div>"
            + "<div class=\"heatmap-cells\" style=\"\(Self.size(cells.width))\">\n"
            + cells.render() + "\n</div></div>"
    }

    /// A part's drawn width for the stylesheet: its flex weight (a number) and, for phones, its
    /// natural width (a length; validators reject `calc()` over a custom property).
    static func size(_ width: Double) -> String {
        "--heatmap-grow: \(SVGBuilder.num(width)); --heatmap-natural: \(SVGBuilder.num(width))px"
    }

    /// Sizes and vertical positions shared by the two halves, so their rows line up.
    struct Layout {
        var cellW: Double
        var nameW: Double
        var sizeW: Double
        var labelW: Double { nameW + sizeW }
        let cellH = 26.0
        let gap = 10.0
        let gridTop = 44.0
        /// Each row's top edge (the pooled row after a gap) and where the grid ends.
        var rowTops: [Double]
        var gridBottom: Double
        var legendTop: Double { gridBottom + 20 }
        var height: Double { legendTop + 56 }
    }

    var layout: Layout {
        // Cells widen to fit the longest column header (channel names), never narrower than 46
        // nor wider than `widestCell`: a longer header is shortened rather than widen every column.
        let widestHeader = columnHeaders.map { SVGBuilder.textWidth($0, size: 11) }.max() ?? 0
        let cellW = min(Self.widestCell, max(46.0, (widestHeader + 10).rounded(.up)))
        // The cohort labels set the column's width; a longer pooled label ("Weighted (complete
        // cells)") goes on two lines rather than widening it, which on a phone costs cells.
        let regular = rows.filter { !$0.emphasized }.map { SVGBuilder.textWidth($0.label, size: 12) }.max() ?? 0
        let pooled =
            rows.filter(\.emphasized).flatMap { row in
                let lines = Self.lines(row.label, fitting: regular)
                return lines.map { SVGBuilder.textWidth($0, size: lines.count > 1 ? 11 : 12) }
            }.max() ?? 0
        let nameW = min(200, max(64, max(regular, pooled) + 12))
        let sizeW =
            rows.contains { $0.customers != nil }
            ? max(44.0, (rows.compactMap { $0.customers.map { SVGBuilder.textWidth($0, size: 11) } }.max() ?? 0) + 14)
            : 0
        var l = Layout(cellW: cellW, nameW: nameW, sizeW: sizeW, rowTops: [], gridBottom: 0)
        var y = l.gridTop
        for r in rows.indices {
            if startsPooled(r) { y += l.gap }
            l.rowTops.append(y)
            y += l.cellH
        }
        l.gridBottom = y
        return l
    }

    /// A label as one line when it fits `width` (at 12 px), else as two at 11 px, broken at a
    /// space (dropped) or before a full-width parenthesis, wherever the longer line is shortest.
    static func lines(_ label: String, fitting width: Double) -> [String] {
        guard SVGBuilder.textWidth(label, size: 12) > width else { return [label] }
        let cuts = label.indices.compactMap { i -> [String]? in
            switch label[i] {
            case " ": return [String(label[..<i]), String(label[label.index(after: i)...])]
            case "（" where i > label.startIndex: return [String(label[..<i]), String(label[i...])]
            default: return nil
            }
        }
        func longer(_ pair: [String]) -> Double { pair.map { SVGBuilder.textWidth($0, size: 11) }.max() ?? 0 }
        return cuts.min { longer($0) < longer($1) } ?? [label]
    }

    /// Whether a gap and rule set the pooled rows apart before row `r`.
    func startsPooled(_ r: Int) -> Bool { rows[r].emphasized && r > 0 && !rows[r - 1].emphasized }

    /// The row labels and sizes: decorative (the cells' hover titles and the data table carry
    /// each row's label for assistive technology).
    func renderLabels(_ l: Layout) -> SVGBuilder {
        var svg = SVGBuilder(width: l.labelW, height: l.height, text: text, decorative: true)
        if l.sizeW > 0 {
            svg.text(l.labelW - 8, l.gridTop - 8, sizeHeader, anchor: .end, size: 11, fill: Palette.muted)
        }
        for (r, row) in rows.enumerated() {
            let y = l.rowTops[r]
            if startsPooled(r) { svg.line(4, y - l.gap / 2, l.labelW, y - l.gap / 2, stroke: Palette.muted, width: 1) }
            let lines = row.emphasized ? Self.lines(row.label, fitting: l.nameW - 12) : [row.label]
            let size = lines.count > 1 ? 11.0 : 12.0
            for (i, line) in lines.enumerated() {
                let cut = SVGBuilder.textWidth(line, size: size) > l.nameW - 12
                svg.label(
                    l.nameW - 8, y + (lines.count > 1 ? 11.5 + 11.5 * Double(i) : l.cellH / 2 + 4), line,
                    maxWidth: l.nameW - 12, full: cut ? row.label : line, anchor: .end, size: size,
                    bold: row.emphasized)
            }
            if let n = row.customers {
                svg.text(l.labelW - 8, y + l.cellH / 2 + 4, n, anchor: .end, size: 11, fill: Palette.muted)
            }
        }
        return svg
    }

    /// The cells, their column headers and the legend.
    func renderCells(_ l: Layout) -> SVGBuilder {
        let cellW = l.cellW
        let cellH = l.cellH
        let legendTop = l.legendTop
        let gridW = Double(max(columnHeaders.count, 1)) * cellW
        let hasProjection = rows.contains { $0.projected.contains { $0 != nil } }
        let projectedEnd = hasProjection ? 48 + SVGBuilder.textWidth(projectedLegend, size: 11) : 0
        let legendEnd = 216 + SVGBuilder.textWidth(incompleteLegend, size: 11) + projectedEnd
        var svg = SVGBuilder(width: max(gridW + 16, legendEnd), height: l.height, text: text)
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
            Double(columnHeaders.count) * cellW / 2, 14, columnAxisLabel, anchor: .middle, size: 12, fill: Palette.muted
        )
        for (k, header) in columnHeaders.enumerated() {
            svg.label(
                Double(k) * cellW + cellW / 2, l.gridTop - 8, header, maxWidth: cellW - 6, anchor: .middle, size: 11,
                fill: Palette.muted)
        }
        // The cells are most of a report's bytes (a few thousand per heatmap, dozens of heatmaps):
        // their text's size, anchor and colour are set once on the group around them, and each
        // cell writes only what differs (white text on a dark cell, bold in the pooled row).
        svg.raw("<g font-size=\"11\" text-anchor=\"middle\" fill=\"\(Self.cellInk)\">\n")
        let w = SVGBuilder.num(cellW - 2)
        let h = SVGBuilder.num(cellH - 2)
        let hatch = "url(#\(text.id)-hatch)"
        for (r, row) in rows.enumerated() {
            let y = l.rowTops[r]
            if startsPooled(r) {
                svg.line(
                    0, y - l.gap / 2, Double(columnHeaders.count) * cellW, y - l.gap / 2, stroke: Palette.muted,
                    width: 1)
            }
            let top = SVGBuilder.num(y + 1)
            let baseline = SVGBuilder.num(y + cellH / 2 + 4)
            let weight = row.emphasized ? " font-weight=\"bold\"" : ""
            for k in columnHeaders.indices {
                let x = Double(k) * cellW
                let rect = { (fill: String) in
                    "<rect x=\"\(SVGBuilder.num(x + 1))\" y=\"\(top)\" width=\"\(w)\" height=\"\(h)\" fill=\"\(fill)\"/>"
                }
                let center = SVGBuilder.num(x + cellW / 2)
                if k < row.values.count, let v = row.values[k] {
                    let t = domainMax > domainMin ? (v - domainMin) / (domainMax - domainMin) : 0
                    let hover = cellTitle(row.label, columnHeaders[k], format(v))
                    let ink = Palette.textOnSequential(t)
                    let fill = ink == Self.cellInk ? "" : " fill=\"\(ink)\""
                    svg.raw(
                        "<g><title>\(Escaping.html(hover))</title>\(rect(Palette.sequential(t)))<text x=\"\(center)\" y=\"\(baseline)\"\(fill)\(weight)>\(Escaping.html(format(v)))</text></g>\n"
                    )
                } else if k < row.projected.count, let p = row.projected[k] {
                    let label = "≈" + format(p)
                    let hover = cellTitle(row.label, columnHeaders[k], projectedLegend + " " + label)
                    svg.raw(
                        "\(rect(hatch))<g><title>\(Escaping.html(hover))</title><text x=\"\(center)\" y=\"\(baseline)\" font-size=\"10\" fill=\"\(Palette.muted)\" font-style=\"italic\">\(Escaping.html(label))</text></g>\n"
                    )
                } else {
                    svg.raw(rect(hatch) + "\n")
                }
            }
        }
        svg.raw("</g>\n")

        // Legend: the colour ramp with its end values, and the hatched "absent" swatch.
        svg.text(0, legendTop + 10, legendTitle, size: 11, fill: Palette.muted)
        svg.rect(
            0, legendTop + 16, 160, 12, fill: "url(#\(text.id)-ramp)",
            extra: [("stroke", Palette.muted), ("stroke-width", "0.5")])
        let clampedBelow = rows.contains { $0.values.contains { ($0 ?? domainMin) < domainMin } }
        svg.text(0, legendTop + 42, (clampedBelow ? "≤ " : "") + format(domainMin), size: 11, fill: Palette.muted)
        svg.text(
            160, legendTop + 42, (clampedAbove ? "≥ " : "") + format(domainMax), anchor: .end, size: 11,
            fill: Palette.muted)
        svg.rect(
            184, legendTop + 16, 18, 12, fill: "url(#\(text.id)-hatch)",
            extra: [("stroke", Palette.muted), ("stroke-width", "0.5")])
        svg.text(208, legendTop + 26, incompleteLegend, size: 11, fill: Palette.muted)
        if hasProjection {
            let px = 216 + SVGBuilder.textWidth(incompleteLegend, size: 11) + 12
            svg.rect(
                px, legendTop + 16, 30, 12, fill: "url(#\(text.id)-hatch)",
                extra: [("stroke", Palette.muted), ("stroke-width", "0.5")])
            svg.raw(
                "<text x=\"\(SVGBuilder.num(px + 15))\" y=\"\(SVGBuilder.num(legendTop + 26))\" font-size=\"9\" fill=\"\(Palette.muted)\" text-anchor=\"middle\" font-style=\"italic\">≈</text>\n"
            )
            svg.text(px + 36, legendTop + 26, projectedLegend, size: 11, fill: Palette.muted)
        }
        return svg
    }
}
