/// Retention curves: one line per cohort or per channel, retention against months since signup.
///
/// Lines come straight from triangle rows (observed cells only: an absent cell ends the line, it
/// is never drawn as zero). Three emphases keep many lines readable: older cohorts faint and thin,
/// recent ones in colour, the weighted average bold and black.
struct RetentionCurvesChart {
    enum Emphasis: Equatable { case faint, normal, bold }

    struct Line {
        var label: String
        /// Retention by month offset; nil = not observable.
        var values: [Double?]
        var emphasis: Emphasis
        /// Shown in the legend (nil: the line is not listed, e.g. faint older cohorts).
        var legend: String?
        /// Projected values past the last observed one: drawn as a thin dotted continuation.
        var projected: [Double?] = []
    }

    var text: ChartText
    var lines: [Line]
    var axes: LineChartAxes
    /// Legend line for all faint lines together (e.g. "older cohorts"), if any.
    var faintLegend: String?
    /// For phones: the whole chart fits this width (the plot narrows, text keeps its size).
    var maxWidth: Double? = nil
    /// Legend text of the dotted projected continuations (shown when a line has projections).
    var projectedLegend = "projected"

    /// The y range: from a round floor under the lowest value to at least 100%, so that 75% and 90%
    /// look apart when every cohort sits between 60% and 100%. The floor is below the lowest value
    /// unless that is 0: a line at the floor would lie on the x axis, out of sight, as every line
    /// of a chart where nobody churned did (all at 100%, on a range from 100% to 110%). Such a
    /// chart now reads like any other, 100% at the top.
    static func yRange(_ values: [Double]) -> (lo: Double, hi: Double) {
        guard let mn = values.min(), let mx = values.max() else { return (0, 1) }
        let least = min(mn, 1)
        let tenths = max(0, (least * 10).rounded(.down))
        let lo = tenths > 0 && tenths / 10 >= least ? (tenths - 1) / 10 : tenths / 10
        let hi = max(1, (min(mx, 3) * 10).rounded(.up) / 10)
        return (lo, hi > lo ? hi : lo + 0.1)
    }

    func render() -> String {
        let frame = ChartFrame(left: 56, right: 16, top: 14, plotW: 560, plotH: 260, maxWidth: maxWidth)
        let (left, top, plotW, plotH) = (frame.left, frame.top, frame.plotW, frame.plotH)
        let legendRow = 20.0
        let bottomAxis = 50.0
        let legendLines = lines.filter { $0.legend != nil }
        let hasProjection = lines.contains { $0.projected.contains { $0 != nil } }
        let legendCount =
            legendLines.count + (faintLegend != nil && lines.contains { $0.emphasis == .faint } ? 1 : 0)
            + (hasProjection ? 1 : 0)
        let width = frame.width
        let height = top + plotH + bottomAxis + Double(legendCount) * legendRow + 6
        var svg = SVGBuilder(width: width, height: height, text: text)
        let maxOffset = max(
            1,
            (lines.map { max($0.values.lastIndex { $0 != nil } ?? 0, $0.projected.lastIndex { $0 != nil } ?? 0) }.max()
                ?? 1))
        let (lo, hi) = Self.yRange(lines.flatMap { $0.values.compactMap { $0 } + $0.projected.compactMap { $0 } })
        func x(_ k: Int) -> Double { left + Double(k) / Double(maxOffset) * plotW }
        func y(_ v: Double) -> Double { top + (1 - (max(lo, min(hi, v)) - lo) / (hi - lo)) * plotH }

        let tickStep = (hi - lo) > 0.6 ? 0.2 : 0.1
        var tick = lo
        while tick <= hi + 1e-9 {
            svg.line(
                left, y(tick), left + plotW, y(tick), stroke: tick == 1 ? Palette.muted : Palette.grid,
                dash: tick == 1 ? "4 3" : nil)
            svg.text(left - 6, y(tick) + 4, axes.percent(tick), anchor: .end, size: 11, fill: Palette.muted)
            tick += tickStep
        }
        svg.xTicks(frame, through: maxOffset, x: x)
        svg.axes(frame, xTitle: axes.x)
        svg.yTitle(axes.y, x: 13, top: top, plotH: plotH)

        // Faint lines first, bold last, so emphasis is drawn on top.
        let order = lines.indices.sorted {
            rank(lines[$0].emphasis) < rank(lines[$1].emphasis)
                || (rank(lines[$0].emphasis) == rank(lines[$1].emphasis) && $0 < $1)
        }
        var colourIndex: [Int: Int] = [:]
        var next = 1  // 0 (black) is kept for the bold line
        for i in lines.indices where lines[i].emphasis == .normal {
            colourIndex[i] = next
            next += 1
        }
        for i in order {
            let line = lines[i]
            let (color, stroke, dash) = style(line.emphasis, colourIndex[i])
            if let last = line.values.lastIndex(where: { $0 != nil }), let start = line.values[last] {
                var points = [(last, start)]
                for k in (last + 1)..<max(last + 1, line.projected.count) {
                    if let p = line.projected[k] { points.append((k, p)) }
                }
                if points.count > 1 {
                    svg.path(
                        SVGBuilder.pathData(points.map { (x($0.0), y($0.1)) }), stroke: color, width: 1.4,
                        dash: Palette.projectedDash)
                }
            }
            for segment in segments(line.values) {
                if segment.count == 1, let only = segment.first {
                    svg.element(
                        "circle",
                        [
                            ("cx", SVGBuilder.num(x(only.0))), ("cy", SVGBuilder.num(y(only.1))), ("r", "2.5"),
                            ("fill", color),
                        ])
                    continue
                }
                svg.path(
                    SVGBuilder.pathData(segment.map { (x($0.0), y($0.1)) }), stroke: color, width: stroke, dash: dash)
            }
        }

        var row = 0
        func legendEntry(_ label: String, _ e: Emphasis, _ c: Int?) {
            let (color, stroke, dash) = style(e, c)
            let ly = top + plotH + bottomAxis + Double(row) * legendRow + 4
            svg.line(left, ly, left + 32, ly, stroke: color, width: max(stroke, 1.5), dash: dash)
            let room = width - left - 44
            svg.label(
                left + 40, ly + 4, SVGBuilder.truncated(keepingCounts: label, maxWidth: room, size: 12),
                maxWidth: room, full: label, size: 12)
            row += 1
        }
        for i in lines.indices where lines[i].legend != nil && lines[i].emphasis == .bold {
            legendEntry(lines[i].legend ?? "", .bold, nil)
        }
        for i in lines.indices where lines[i].legend != nil && lines[i].emphasis == .normal {
            legendEntry(lines[i].legend ?? "", .normal, colourIndex[i])
        }
        if let faintLegend, lines.contains(where: { $0.emphasis == .faint }) { legendEntry(faintLegend, .faint, nil) }
        if hasProjection {
            let ly = top + plotH + bottomAxis + Double(row) * legendRow + 4
            svg.line(left, ly, left + 32, ly, stroke: Palette.ink, width: 1.4, dash: Palette.projectedDash)
            svg.text(left + 40, ly + 4, projectedLegend, size: 12)
        }
        return svg.render()
    }

    private func rank(_ e: Emphasis) -> Int { e == .faint ? 0 : e == .normal ? 1 : 2 }

    private func style(_ e: Emphasis, _ colour: Int?) -> (String, Double, String?) {
        switch e {
        case .faint: return ("#b3b3b3", 1, nil)
        case .normal: return (Palette.color(colour ?? 1), 2, Palette.dash(colour ?? 1))
        case .bold: return (Palette.ink, 3.2, nil)
        }
    }

    /// Runs of consecutive observed offsets, as (offset, value) points.
    private func segments(_ values: [Double?]) -> [[(Int, Double)]] {
        var out: [[(Int, Double)]] = []
        var run: [(Int, Double)] = []
        for (k, v) in values.enumerated() {
            if let v, v.isFinite {
                run.append((k, v))
            } else if !run.isEmpty {
                out.append(run)
                run = []
            }
        }
        if !run.isEmpty { out.append(run) }
        return out
    }
}

extension RetentionCurvesChart {
    /// Lines of one triangle by signup month: the `recent` youngest cohorts with at least two
    /// observed offsets in colour, older cohorts faint, the weighted row bold.
    static func byCohort(
        _ triangle: RetentionTriangle, revenue: Bool, recent: Int, weightedLabel: String,
        cohortLabel: (String) -> String
    ) -> [Line] {
        let cohorts = triangle.rows.filter { !$0.isWeighted }
        let withCurve = cohorts.filter { (revenue ? $0.revenue : $0.logo).compactMap { $0 }.count >= 2 }
        let recentSet = Set(withCurve.suffix(recent).map(\.cohort))
        var lines: [Line] = []
        for row in cohorts {
            let values = revenue ? row.revenue : row.logo
            let isRecent = recentSet.contains(row.cohort)
            let label = cohortLabel(row.cohort)
            lines.append(
                Line(
                    label: label, values: values, emphasis: isRecent ? .normal : .faint,
                    legend: isRecent ? "\(label) (n = \(NumberText.grouped(row.customers)))" : nil,
                    projected: isRecent ? (revenue ? row.projectedRevenue : row.projectedLogo) : []))
        }
        if let w = triangle.rows.first(where: \.isWeighted) {
            lines.append(
                Line(label: weightedLabel, values: revenue ? w.revenue : w.logo, emphasis: .bold, legend: weightedLabel)
            )
        }
        return lines
    }

    /// One line per channel: each channel triangle's weighted row, labelled with its customers.
    static func byChannel(
        _ triangles: [RetentionTriangle], revenue: Bool, allLabel: String,
        channelLabel: (String) -> String
    ) -> [Line] {
        triangles.compactMap { t in
            guard let w = t.rows.first(where: \.isWeighted) else { return nil }
            let n = t.customers
            let isAll = t.channel == "(all)"
            let label = isAll ? allLabel : channelLabel(t.channel)
            return Line(
                label: label, values: revenue ? w.revenue : w.logo, emphasis: isAll ? .bold : .normal,
                legend: "\(label) (n = \(NumberText.grouped(n)))")
        }
    }
}
