/// Horizontal bars for counts by category, each labelled with its value.
struct BarChart {
    struct Item {
        var label: String
        var value: Double
        var valueText: String
    }

    var text: ChartText
    var items: [Item]
    var axisLabel: String
    /// For phones: the whole chart fits this width (labels and plot narrow, text keeps its size).
    var maxWidth: Double? = nil

    func render() -> String {
        // The value column on the right fits the longest value.
        let valueW = max(60, (items.map { SVGBuilder.textWidth($0.valueText, size: 11) }.max() ?? 0) + 12)
        let rowH = 24.0
        let frame = ChartFrame(
            labels: items.map(\.label), least: 80, widest: 220, narrowest: 120, plotW: 380, leastPlotW: 100,
            right: valueW, plotH: Double(max(items.count, 1)) * rowH, maxWidth: maxWidth)
        let (labelW, plotW, top, plotH, width) = (frame.left, frame.plotW, frame.top, frame.plotH, frame.width)
        var svg = SVGBuilder(width: width, height: top + plotH + 30, text: text)
        let maxValue = max(items.map(\.value).max() ?? 0, 1)
        for (i, item) in items.enumerated() {
            let y = top + Double(i) * rowH
            let w = max(0, item.value) / maxValue * plotW
            svg.rowLabel(item.label, columnWidth: labelW, y: y + rowH / 2 + 4)
            svg.rect(labelW, y + 4, w, rowH - 8, fill: Palette.color(1))
            svg.text(labelW + w + 6, y + rowH / 2 + 4, item.valueText, size: 11, fill: Palette.muted)
        }
        svg.line(labelW, top, labelW, top + plotH, stroke: Palette.muted)
        svg.text(labelW + plotW / 2, top + plotH + 22, axisLabel, anchor: .middle, size: 12)
        return svg.render()
    }
}
