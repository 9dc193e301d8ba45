/// Kaplan-Meier step curves, one per channel, each with a translucent confidence band,
/// on axes of months since first subscription and percent not yet churned.
struct SurvivalChart {
    struct Series {
        var label: String
        /// Month mark, S, lower and upper at each mark, in order.
        var points: [(month: Int, day: Int, s: Double?, lower: Double?, upper: Double?)]
    }

    var text: ChartText
    var series: [Series]
    var axes: LineChartAxes
    /// For phones: the whole chart fits this width (the plot narrows, text keeps its size).
    var maxWidth: Double? = nil

    func render() -> String {
        let frame = ChartFrame(left: 60, right: 20, top: 16, plotW: 600, plotH: 280, maxWidth: maxWidth)
        let (left, top, plotW, plotH) = (frame.left, frame.top, frame.plotW, frame.plotH)
        let legendRow = 20.0
        let bottomAxis = 52.0
        let width = frame.width
        // The legend starts under the plot, or at the edge on a phone; a label too long for its
        // line breaks before its counts, "(n = …", which then take a second line.
        let legendX = maxWidth == nil ? left : 8
        let room = width - legendX - 48
        let legend: [[String]] = series.map { s in
            guard SVGBuilder.textWidth(s.label, size: 12) > room, let cut = s.label.range(of: " (", options: .backwards)
            else {
                return [s.label]
            }
            return [String(s.label[..<cut.lowerBound]), "(" + s.label[cut.upperBound...]]
        }
        let height = top + plotH + bottomAxis + Double(legend.reduce(0) { $0 + $1.count }) * legendRow + 8
        var svg = SVGBuilder(width: width, height: height, text: text)
        let maxMonth = max(1, series.flatMap { $0.points.map(\.month) }.max() ?? 1)
        func x(_ month: Double) -> Double { left + month / Double(maxMonth) * plotW }
        func y(_ s: Double) -> Double { top + (1 - max(0, min(1, s))) * plotH }

        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg.line(left, y(tick), left + plotW, y(tick), stroke: Palette.grid)
            svg.text(left - 6, y(tick) + 4, axes.percent(tick), anchor: .end, size: 11, fill: Palette.muted)
        }
        svg.xTicks(frame, through: maxMonth) { x(Double($0)) }
        svg.axes(frame, xTitle: axes.x)
        svg.yTitle(axes.y, x: 14, top: top, plotH: plotH)

        for (i, s) in series.enumerated() {
            let color = Palette.color(i)
            // Band: upper edge forward, lower edge back, both as steps starting at 100% on day 0.
            var upper: [(Double, Double)] = [(0, 1)]
            var lower: [(Double, Double)] = [(0, 1)]
            var curve: [(Double, Double)] = [(0, 1)]
            for p in s.points {
                let m = Double(p.month)
                if let u = p.upper, let l = p.lower {
                    upper.append((m, upper.last?.1 ?? 1))
                    upper.append((m, u))
                    lower.append((m, lower.last?.1 ?? 1))
                    lower.append((m, l))
                }
                if let v = p.s {
                    curve.append((m, curve.last?.1 ?? 1))
                    curve.append((m, v))
                }
            }
            if upper.count > 1 {
                let band = (upper + lower.reversed()).map { (x($0.0), y($0.1)) }
                svg.path(SVGBuilder.pathData(band) + " Z", fill: color, opacity: 0.12)
            }
            svg.path(
                SVGBuilder.pathData(curve.map { (x($0.0), y($0.1)) }), stroke: color, width: 2.2, dash: Palette.dash(i))

            let ly = top + plotH + bottomAxis + Double(legend[..<i].reduce(0) { $0 + $1.count }) * legendRow + 6
            svg.line(legendX, ly, legendX + 36, ly, stroke: color, width: 2.5, dash: Palette.dash(i))
            for (k, line) in legend[i].enumerated() {
                // A line cut short keeps the whole entry in its title.
                let cut = SVGBuilder.textWidth(line, size: 12) > room
                svg.label(
                    legendX + 44, ly + 4 + Double(k) * legendRow, line, maxWidth: room, full: cut ? s.label : line,
                    size: 12)
            }
        }
        return svg.render()
    }
}
