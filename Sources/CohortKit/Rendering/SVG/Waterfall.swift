/// Monthly MRR movements as stacked bars: additions above zero, losses below, and a marker
/// with a line for the net change; the value axis is in the report currency.
struct Waterfall {
    struct Month {
        var label: String
        /// Amounts above zero (new, expansion, reactivation) and below zero as positive numbers
        /// (contraction, churn), each in series order.
        var gains, losses: [Int64]
        /// Net change, drawn as a marker.
        /// End minus start, as a double: the marker's height only.
        var net: Double
    }

    var text: ChartText
    var months: [Month]
    /// Names of the gain and loss series, in series order, and of the net change.
    var gainNames, lossNames: [String]
    var netName: String
    var axisLabel: String
    var money: (Int64) -> String
    /// For phones: the whole chart fits this width (bars narrow, labels thin out, legend wraps).
    var maxWidth: Double? = nil

    func render() -> String {
        let left = 76.0
        let right = 16.0
        let top = 16.0
        let plotH = 260.0
        let count = Double(max(months.count, 1))
        let slot =
            maxWidth.map { max(4.0, min(56.0, ($0 - left - right) / count)) } ?? max(28.0, min(56.0, 640.0 / count))
        let plotW = slot * count
        let legendH = maxWidth == nil ? 44.0 : 80.0
        let width = maxWidth.map { min($0, left + plotW + right) } ?? max(left + plotW + right, 560)
        let height = top + plotH + 40 + legendH
        var svg = SVGBuilder(width: width, height: height, text: text)
        // Summed as doubles: the chart's scale only, and no amount can overflow it.
        let maxUp = months.map { $0.gains.reduce(0.0) { $0 + Double(max(0, $1)) } }.max() ?? 0
        let maxDown = months.map { $0.losses.reduce(0.0) { $0 + Double(max(0, $1)) } }.max() ?? 0
        let span = max(maxUp + maxDown, 1)
        // The scale ends on a tick each side, so the tallest bar is never past the last label.
        let step = Self.step(span: span)
        let upper = (max(maxUp, span * 0.05) / step).rounded(.up) * step
        let lower = (max(maxDown, span * 0.05) / step).rounded(.up) * step
        func y(_ v: Double) -> Double { top + (upper - v) / (upper + lower) * plotH }

        for tick in Self.ticks(from: -lower, to: upper, step: step) {
            svg.line(
                left, y(tick), left + plotW, y(tick), stroke: tick == 0 ? Palette.muted : Palette.grid,
                width: tick == 0 ? 1.2 : 1)
            // A tick past the 64-bit range (amounts at the limits, the scale rounded up) is
            // labelled with the range's end.
            let label = tick >= 0x1p63 ? Int64.max : tick <= -0x1p63 ? Int64.min : Int64(tick)
            svg.text(left - 6, y(tick) + 4, money(label), anchor: .end, size: 11, fill: Palette.muted)
        }
        svg.yTitle(axisLabel, x: 14, top: top, plotH: plotH)

        let gainColors = [Palette.color(1), Palette.color(6), Palette.color(3)]
        let lossColors = [Palette.color(5), Palette.color(2)]
        var netPoints: [(Double, Double)] = []
        let widestLabel = months.map { SVGBuilder.textWidth($0.label, size: 10) }.max() ?? 40
        let labelEvery = max(1, Int(((widestLabel + 8) / slot).rounded(.up)))
        for (i, m) in months.enumerated() {
            let x = left + Double(i) * slot + slot * 0.18
            let w = slot * 0.64
            var acc = 0.0
            for (j, g) in m.gains.enumerated() where g > 0 {
                svg.rect(x, y(acc + Double(g)), w, y(acc) - y(acc + Double(g)), fill: gainColors[j % gainColors.count])
                acc += Double(g)
            }
            acc = 0
            for (j, l) in m.losses.enumerated() where l > 0 {
                svg.rect(
                    x, y(-acc), w, y(-acc - Double(l)) - y(-acc), fill: lossColors[j % lossColors.count],
                    extra: [("fill-opacity", "0.9")])
                acc += Double(l)
            }
            netPoints.append((x + w / 2, y(m.net)))
            if i % labelEvery == 0 {
                svg.text(x + w / 2, top + plotH + 16, m.label, anchor: .middle, size: 10, fill: Palette.muted)
            }
        }
        if netPoints.count > 1 {
            svg.path(SVGBuilder.pathData(netPoints), stroke: Palette.ink, width: 1.5, dash: "4 2")
        }
        for p in netPoints {
            svg.element(
                "circle",
                [
                    ("cx", SVGBuilder.num(p.0)), ("cy", SVGBuilder.num(p.1)), ("r", "3.5"), ("fill", "#ffffff"),
                    ("stroke", Palette.ink), ("stroke-width", "1.5"),
                ])
        }

        var lx = left
        var ly = top + plotH + 34
        let entries = zip(gainNames, gainColors).map { ($0.0, $0.1) } + zip(lossNames, lossColors).map { ($0.0, $0.1) }
        for (name, color) in entries {
            if lx > left, lx + 16 + SVGBuilder.textWidth(name, size: 11) > width {
                lx = left
                ly += 18
            }
            svg.rect(lx, ly, 12, 12, fill: color)
            svg.text(lx + 16, ly + 10, name, size: 11)
            lx += 28 + SVGBuilder.textWidth(name, size: 11)
        }
        if lx > left, lx + 28 + SVGBuilder.textWidth(netName, size: 11) > width {
            lx = left
            ly += 18
        }
        svg.line(lx, ly + 6, lx + 22, ly + 6, stroke: Palette.ink, width: 1.5, dash: "4 2")
        svg.element(
            "circle",
            [
                ("cx", SVGBuilder.num(lx + 11)), ("cy", SVGBuilder.num(ly + 6)), ("r", "3.5"), ("fill", "#ffffff"),
                ("stroke", Palette.ink), ("stroke-width", "1.5"),
            ])
        svg.text(lx + 28, ly + 10, netName, size: 11)
        return svg.render()
    }

    /// Round tick values covering `from...to` (1, 2 or 5 times a power of ten apart), including 0.
    static func ticks(from: Double, to: Double) -> [Double] {
        ticks(from: from, to: to, step: step(span: to - from))
    }

    /// The tick values `step` apart within `from...to`.
    static func ticks(from: Double, to: Double, step: Double) -> [Double] {
        var out: [Double] = []
        var v = (from / step).rounded(.up) * step
        while v <= to + 1e-9 {
            out.append(v == 0 ? 0 : v)
            v += step
        }
        return out
    }

    /// A round distance (1, 2 or 5 times a power of ten) giving at most six steps over `span`.
    static func step(span: Double) -> Double {
        let span = max(span, 1)
        var step = 1.0
        while span / step > 6 {
            if span / (step * 2) <= 6 {
                step *= 2
                break
            }
            if span / (step * 5) <= 6 {
                step *= 5
                break
            }
            step *= 10
        }
        return step
    }
}
