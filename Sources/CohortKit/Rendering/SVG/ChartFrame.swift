/// The plot area of a chart: the margin on its left (a value axis's numbers, or a column of row
/// labels), the plot, a margin on its right, below a top margin. The retention and survival charts
/// give the margins; the bar, interval and forest charts fit the left one to their labels.
struct ChartFrame {
    var left: Double
    var right: Double
    var top: Double
    var plotW: Double
    var plotH: Double

    /// A plot `plotW` wide, or narrowed (to no less than `leastPlotW`) so the whole chart fits
    /// `maxWidth`.
    init(
        left: Double, right: Double, top: Double, plotW: Double, plotH: Double, maxWidth: Double?,
        leastPlotW: Double = 160
    ) {
        self.left = left
        self.right = right
        self.top = top
        self.plotH = plotH
        self.plotW = maxWidth.map { max(leastPlotW, $0 - left - right) } ?? plotW
    }

    /// A frame whose left margin is a label column that fits the longest of `labels` (at least
    /// `least`), up to `widest`, or up to `narrowest` on phones, below a top margin of 10.
    init(
        labels: [String], least: Double, widest: Double, narrowest: Double, plotW: Double, leastPlotW: Double,
        right: Double, plotH: Double, maxWidth: Double?
    ) {
        let longest = labels.map { SVGBuilder.textWidth($0, size: 12) }.max() ?? least
        let labelW = min(maxWidth == nil ? widest : narrowest, max(least, longest) + 12)
        self.init(
            left: labelW, right: right, top: 10, plotW: plotW, plotH: plotH, maxWidth: maxWidth, leastPlotW: leastPlotW)
    }

    /// The chart's whole width.
    var width: Double { left + plotW + right }
    /// The y of the x axis.
    var bottom: Double { top + plotH }
}

/// The titles of a line chart's axes, and how its value axis writes a tick (as a percentage).
struct LineChartAxes {
    var x: String
    var y: String
    var percent: (Double) -> String
}

extension SVGBuilder {
    /// The step between month ticks on an axis from 0 to `last`: 1, 2, 3, 6 or 12 months, or a
    /// multiple of 12, whichever is the smallest that makes at most 8 steps.
    static func monthStep(through last: Int) -> Int {
        if let step = [1, 2, 3, 6, 12].first(where: { last / $0 <= 8 }) { return step }
        return 12 * ((last / 12 + 7) / 8)
    }

    /// The x axis's month tick marks and numbers at 0, `monthStep`, … up to `last`, placed by `x`.
    mutating func xTicks(_ frame: ChartFrame, through last: Int, x: (Int) -> Double) {
        for m in stride(from: 0, through: last, by: Self.monthStep(through: last)) {
            line(x(m), frame.bottom, x(m), frame.bottom + 4, stroke: Palette.muted)
            text(x(m), frame.bottom + 17, String(m), anchor: .middle, size: 11, fill: Palette.muted)
        }
    }

    /// Both axis lines of `frame` and the x axis's title under its numbers.
    mutating func axes(_ frame: ChartFrame, xTitle: String) {
        line(frame.left, frame.top, frame.left, frame.bottom, stroke: Palette.muted)
        line(frame.left, frame.bottom, frame.left + frame.plotW, frame.bottom, stroke: Palette.muted)
        text(frame.left + frame.plotW / 2, frame.bottom + 36, xTitle, anchor: .middle, size: 12, fill: Palette.ink)
    }

    /// A value axis's title, turned to read upwards, centred on the plot's height at `x`.
    mutating func yTitle(_ title: String, x: Int, top: Double, plotH: Double) {
        let midY = SVGBuilder.num(top + plotH / 2)
        raw(
            "<text x=\"\(x)\" y=\"\(midY)\" font-size=\"12\" fill=\"\(Palette.ink)\" text-anchor=\"middle\" transform=\"rotate(-90 \(x) \(midY))\">\(Escaping.html(title))</text>\n"
        )
    }

    /// A row's label, right-aligned against a label column `columnWidth` wide (shortened to fit,
    /// the whole label in its `<title>`).
    mutating func rowLabel(_ label: String, columnWidth: Double, y: Double) {
        self.label(columnWidth - 8, y, label, maxWidth: columnWidth - 12, anchor: .end, size: 12)
    }

    /// Path data through `points` (already in the chart's coordinates): "M x y L x y …".
    static func pathData(_ points: [(Double, Double)]) -> String {
        points.enumerated().map { ($0.offset == 0 ? "M" : "L") + num($0.element.0) + " " + num($0.element.1) }
            .joined(separator: " ")
    }
}
