/// Horizontal bars with confidence-interval whiskers, grouped by label, one bar per series
/// (for example churn within 90 days and within a year for each segment).
struct IntervalBars {
    struct Bar {
        var value: Double?
        var lower: Double?
        var upper: Double?
    }

    struct Group {
        var label: String
        var bars: [Bar]
    }

    var text: ChartText
    var groups: [Group]
    var seriesNames: [String]
    var axisLabel: String
    /// Formats a ratio as a percentage.
    var percent: (Double) -> String
    /// For phones: the whole chart fits this width (labels and plot narrow, text keeps its size).
    var maxWidth: Double? = nil

    func render() -> String {
        let barH = 12.0
        let groupGap = 10.0
        let series = max(seriesNames.count, 1)
        let groupH = Double(series) * (barH + 3) + groupGap
        let frame = ChartFrame(
            labels: groups.map(\.label), least: 80, widest: 200, narrowest: 110, plotW: 420, leastPlotW: 120,
            right: 60, plotH: Double(groups.count) * groupH, maxWidth: maxWidth)
        let (labelW, plotW, top, plotH, width) = (frame.left, frame.plotW, frame.top, frame.plotH, frame.width)
        // The legend's rows under the axis title: room for a second one on phones.
        var svg = SVGBuilder(width: width, height: top + plotH + 44 + 24 + (maxWidth == nil ? 0 : 18), text: text)
        let maxValue = groups.flatMap { $0.bars.compactMap { $0.upper ?? $0.value } }.max() ?? 0
        // Probabilities: the axis ends at 100% whatever a value says.
        let domain = max(0.1, min(1, (maxValue * 10).rounded(.up) / 10))
        func x(_ v: Double) -> Double { labelW + max(0, min(v, domain)) / domain * plotW }

        let tickStep = domain <= 0.3 ? 0.05 : domain <= 0.6 ? 0.1 : 0.2
        for tick in stride(from: 0.0, through: domain + 1e-9, by: tickStep) {
            svg.line(x(tick), top, x(tick), top + plotH, stroke: Palette.grid)
            svg.text(x(tick), top + plotH + 14, percent(tick), anchor: .middle, size: 11, fill: Palette.muted)
        }
        svg.text(labelW + plotW / 2, top + plotH + 32, axisLabel, anchor: .middle, size: 12)
        let fills = [Palette.color(6), Palette.color(1)]
        for (g, group) in groups.enumerated() {
            let gy = top + Double(g) * groupH
            svg.rowLabel(group.label, columnWidth: labelW, y: gy + Double(series) * (barH + 3) / 2 + 4)
            for (s, bar) in group.bars.enumerated() {
                let by = gy + Double(s) * (barH + 3)
                guard let v = bar.value else { continue }
                svg.rect(labelW, by, x(v) - labelW, barH, fill: fills[s % fills.count])
                if let lo = bar.lower, let hi = bar.upper {
                    svg.line(x(lo), by + barH / 2, x(hi), by + barH / 2, stroke: Palette.ink, width: 1.2)
                    svg.line(x(lo), by + 2, x(lo), by + barH - 2, stroke: Palette.ink, width: 1.2)
                    svg.line(x(hi), by + 2, x(hi), by + barH - 2, stroke: Palette.ink, width: 1.2)
                }
                svg.text(max(x(v), bar.upper.map(x) ?? 0) + 4, by + barH - 2, percent(v), size: 10, fill: Palette.muted)
            }
        }
        var lx = labelW
        var ly = top + plotH + 42
        for (s, name) in seriesNames.enumerated() {
            // Entries wrap onto a new row rather than run past the chart's width.
            if lx > labelW, lx + 16 + SVGBuilder.textWidth(name, size: 11) > width {
                lx = maxWidth == nil ? labelW : 8
                ly += 18
            }
            svg.rect(lx, ly, 12, 12, fill: fills[s % fills.count])
            svg.text(lx + 16, ly + 10, name, size: 11)
            lx += 32 + SVGBuilder.textWidth(name, size: 11)
        }
        return svg.render()
    }
}
