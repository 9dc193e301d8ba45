import XCTest

@testable import CohortKit

/// Labels from input data in the charts: one of any length stays inside its chart, shortened with
/// an ellipsis, and keeps its whole text in a `<title>`.
final class ChartLabelTests: XCTestCase {
    /// A channel name of 200 letters without a space, as an export may hold.
    let long = String(repeating: "L", count: 200)
    let text = ChartText(id: "c", title: "t", desc: "d")

    /// The width an SVG declares.
    func width(_ svg: String) -> Double? {
        guard let r = svg.range(of: " width=\""), let end = svg[r.upperBound...].firstIndex(of: "\"") else {
            return nil
        }
        return Double(svg[r.upperBound..<end])
    }

    /// As a heatmap's column header the long name made every column 1,286 px wide (7,732 px for
    /// six channels, illegible when scaled to the page); it is shortened to the widest cell.
    func testALongColumnHeaderDoesNotWidenTheHeatmap() throws {
        let chart = Heatmap(
            text: text, columnHeaders: ["(all)", long, "web"], columnAxisLabel: "channel",
            rows: [.init(label: "2024-01", values: [0.5, 0.6, 0.7], emphasized: false)], domainMax: 1,
            format: { "\($0)" }, legendTitle: "rate", incompleteLegend: "absent")
        XCTAssertEqual(chart.layout.cellW, Heatmap.widestCell)
        let cells = chart.renderCells(chart.layout).render()
        XCTAssertLessThanOrEqual(try XCTUnwrap(width(cells)), 3 * Heatmap.widestCell + 16)
        XCTAssertTrue(cells.contains("<g><title>\(long)</title>"), cells)
        XCTAssertTrue(cells.contains("…</text>"))
        XCTAssertFalse(cells.contains(">\(long)</text>"))
        // Short headers are drawn as they were, without a title.
        XCTAssertTrue(cells.contains(">web</text>"))
        XCTAssertFalse(cells.contains("<title>web</title>"))
    }

    /// Row labels of the bar, interval and forest charts: shortened to their column, in full in a title.
    func testALongRowLabelIsShortenedWithItsWholeTextInATitle() throws {
        let charts: [any ResponsiveChart] = [
            BarChart(text: text, items: [.init(label: long, value: 3, valueText: "3")], axisLabel: "customers"),
            IntervalBars(
                text: text, groups: [.init(label: long, bars: [.init(value: 0.2, lower: 0.1, upper: 0.3)])],
                seriesNames: ["90 days"], axisLabel: "churn", percent: { "\($0)" }),
            ForestPlot(
                text: text,
                rows: [.init(label: long, ratio: 1.2, lower: 0.9, upper: 1.6, group: "channel (vs \(long))")],
                axisLabel: "hazard ratio", number: { "\($0)" }),
        ]
        for chart in charts {
            let (wide, narrow) = chart.renderings()
            for svg in [wide, narrow] {
                XCTAssertLessThanOrEqual(try XCTUnwrap(width(svg)), 700, "\(type(of: chart))")
                XCTAssertTrue(svg.contains("<g><title>\(long)</title>"), "\(type(of: chart))")
                XCTAssertFalse(svg.contains(">\(long)</text>"), "\(type(of: chart))")
            }
        }
    }

    /// A retention chart's legend entry is cut in its name, not in its counts: "LLL… (n = 40)".
    func testACutLegendEntryKeepsItsCounts() {
        let entry = "\(long) (n = 40)"
        let chart = RetentionCurvesChart(
            text: text,
            lines: [.init(label: long, values: [1, 0.9, 0.8], emphasis: .normal, legend: entry)],
            axes: LineChartAxes(x: "months", y: "retention", percent: { "\($0)" }), faintLegend: nil)
        let (wide, narrow) = chart.renderings()
        for svg in [wide, narrow] {
            XCTAssertTrue(svg.contains("<g><title>\(entry)</title>"), svg)
            XCTAssertTrue(svg.contains("L… (n = 40)</text>"), svg)
        }
        XCTAssertEqual(SVGBuilder.truncated(keepingCounts: "web (n = 40)", maxWidth: 500, size: 12), "web (n = 40)")
        // Counts too wide to keep are cut like the rest.
        XCTAssertEqual(SVGBuilder.truncated(keepingCounts: "a (n = 123456789)", maxWidth: 40, size: 12), "a (n…")
    }

    /// A survival legend entry breaks before its counts and cuts the name; each cut line carries
    /// the whole entry in its title.
    func testACutSurvivalLegendEntryHasItsWholeTextInATitle() {
        let entry = "\(long) (n = 40, churned 0, median not reached)"
        let chart = SurvivalChart(
            text: text, series: [.init(label: entry, points: [(month: 1, day: 30, s: 1, lower: 1, upper: 1)])],
            axes: LineChartAxes(x: "months", y: "share", percent: { "\($0)" }))
        let (wide, narrow) = chart.renderings()
        for svg in [wide, narrow] {
            XCTAssertTrue(svg.contains("<g><title>\(entry)</title>"), svg)
            XCTAssertTrue(svg.contains(">(n = 40, churned 0, median not reached)</text>"), svg)
        }
    }
}

/// Line styles: the first 49 series (colour and dash) are all different.
final class SeriesStyleTests: XCTestCase {
    func testFortyNineSeriesHaveStylesOfTheirOwn() {
        let styles = (0..<49).map { Palette.color($0) + "|" + Palette.dash($0) }
        XCTAssertEqual(Set(styles).count, 49)
        // The first seven are as they always were.
        XCTAssertEqual((0..<7).map(Palette.dash), Palette.dashes)
    }

    /// Series colours stand 3:1 against the white page (WCAG 1.4.11), the sky blue excepted: it is
    /// kept light to tell it from the blue, and its lines have a dash of their own.
    func testSeriesColoursContrastWithThePage() {
        for (i, hex) in Palette.categorical.enumerated() where hex != "#56B4E9" {
            let v = Int(hex.dropFirst(), radix: 16)!
            let l = Palette.relativeLuminance((v >> 16, (v >> 8) & 0xFF, v & 0xFF))
            XCTAssertGreaterThanOrEqual(Palette.contrast(1, l), 3, "series \(i) \(hex)")
        }
    }
}
