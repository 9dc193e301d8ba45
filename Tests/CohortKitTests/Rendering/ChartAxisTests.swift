import XCTest

@testable import CohortKit

/// The month axes of the charts: at most 8 steps whatever the range.
final class ChartAxisTests: XCTestCase {
    func testMonthStepsAreFewAndRound() {
        XCTAssertEqual(SVGBuilder.monthStep(through: 8), 1)
        XCTAssertEqual(SVGBuilder.monthStep(through: 24), 3)
        XCTAssertEqual(SVGBuilder.monthStep(through: 96), 12)
        XCTAssertEqual(SVGBuilder.monthStep(through: 240), 36)
        for last in [1, 7, 9, 25, 97, 240, 1000, 123_457, Int(Int32.max), 1 << 40] {
            let step = SVGBuilder.monthStep(through: last)
            XCTAssertTrue(step == 1 || step == 2 || step == 3 || step == 6 || step % 12 == 0, "\(last): \(step)")
            XCTAssertLessThanOrEqual(last / step, 8, "\(last): \(step)")
        }
    }

    /// A survival point at a month far past any configuration (an edited cohort output) draws a
    /// chart with a handful of ticks, not one per year up to it.
    func testASurvivalPointFarOutDrawsAFewTicks() {
        let chart = SurvivalChart(
            text: ChartText(id: "s", title: "t", desc: "d"),
            series: [.init(label: "(all)", points: [(1, 30, 0.9, 0.8, 1.0), (Int(Int32.max) + 1, 31, 0.5, 0.4, 0.6)])],
            axes: LineChartAxes(x: "months", y: "share", percent: { "\($0)" }))
        let svg = chart.render()
        XCTAssertLessThan(svg.utf8.count, 20_000)
    }

    /// The MRR movements' value axis ends on a labelled tick above the tallest gain and below the
    /// deepest loss: gains of 3.7M with 2M steps reach the 4M tick, not past the last label at 2M.
    func testTheMovementsAxisEndsOnATickBeyondTheBars() {
        let chart = Waterfall(
            text: ChartText(id: "w", title: "t", desc: "d"),
            months: [
                .init(label: "2024-01", gains: [3_700_000, 0, 0], losses: [0, 1_300_000], net: 2_400_000),
                .init(label: "2024-02", gains: [1_000_000, 0, 0], losses: [0, 3_100_000], net: -2_100_000),
            ],
            gainNames: ["new", "expansion", "reactivation"], lossNames: ["contraction", "churn"], netName: "net",
            axisLabel: "MRR", money: { "\($0)" })
        let svg = chart.render()
        for label in [">4000000<", ">-4000000<", ">0<"] { XCTAssertTrue(svg.contains(label), label) }
        XCTAssertFalse(svg.contains(">6000000<"))
        XCTAssertEqual(Waterfall.step(span: 6_800_000), 2_000_000)
        XCTAssertEqual(Waterfall.ticks(from: -4, to: 4), [-4, -2, 0, 2, 4])
    }

    /// The Cox chart puts a dimension's levels under one heading, so on a phone each row still
    /// reads as its level: with the dimension in every label, the four channels below were cut
    /// to the same "acquisition channe…".
    func testForestPlotRowsAreLevelsUnderTheirDimensionsHeading() {
        let levels = ["outbound_sales", "paid_search", "paid_social", "partner"]
        let rows =
            levels.map {
                ForestPlot.Row(
                    label: $0, ratio: 1.2, lower: 0.9, upper: 1.5, group: "acquisition channel (vs organic_search)")
            } + [ForestPlot.Row(label: "enterprise", ratio: 0.2, lower: 0.1, upper: 0.3, group: "plan (vs starter)")]
        let chart = ForestPlot(
            text: ChartText(id: "f", title: "t", desc: "d"), rows: rows, axisLabel: "Hazard ratio",
            number: { "\($0)" }, maxWidth: 380)
        XCTAssertEqual(
            chart.lines.compactMap(\.heading), ["acquisition channel (vs organic_search)", "plan (vs starter)"])
        XCTAssertEqual(chart.lines.count, 7)
        let svg = chart.render()
        for level in levels + ["enterprise"] { XCTAssertTrue(svg.contains(">\(level)</text>"), level) }
        XCTAssertTrue(svg.contains("font-weight=\"bold\">acquisition channel (vs organic_search)</text>"), svg)
        XCTAssertFalse(svg.contains("acquisition channe…"), svg)
    }

    /// On a phone a survival legend entry too long for its line breaks before its counts instead
    /// of losing the median at the end; on a desktop it stays on one line.
    func testSurvivalLegendBreaksBeforeItsCountsOnAPhone() {
        let label = "All channels (n = 2,878, churned 576, median not reached)"
        func chart(_ width: Double?) -> SurvivalChart {
            SurvivalChart(
                text: ChartText(id: "s", title: "t", desc: "d"),
                series: [.init(label: label, points: [(month: 1, day: 30, s: 0.9, lower: 0.8, upper: 0.95)])],
                axes: LineChartAxes(x: "months", y: "share", percent: { "\($0)" }), maxWidth: width)
        }
        let narrow = chart(380).render()
        XCTAssertTrue(narrow.contains(">All channels</text>"), narrow)
        XCTAssertTrue(narrow.contains(">(n = 2,878, churned 576, median not reached)</text>"), narrow)
        XCTAssertFalse(narrow.contains("…"), narrow)
        XCTAssertTrue(chart(nil).render().contains(">\(label)</text>"))
    }

    /// Every heatmap cell's text reaches WCAG AA contrast (4.5:1) against its fill, across the
    /// whole ramp: white on mid-grey was 3.7:1.
    func testHeatmapTextContrastsWithEveryCell() {
        for k in 0...200 {
            let t = Double(k) / 200
            let fill = Palette.relativeLuminance(Palette.sequentialBytes(t))
            let text = Palette.textOnSequential(t) == "#ffffff" ? 1.0 : 0.0
            let ratio = Palette.contrast(max(fill, text), min(fill, text))
            XCTAssertGreaterThanOrEqual(
                ratio, 4.5, "t = \(t), \(Palette.sequential(t)) with \(Palette.textOnSequential(t))")
        }
        // By hand, the ramp's middle stop #7c7b78: channels 124, 123, 120 linearise to 0.2016,
        // 0.1981, 0.1878, so L = 0.2126·0.2016 + 0.7152·0.1981 + 0.0722·0.1878 = 0.1981; white
        // gives 1.05 / 0.2481 = 4.23:1, black 0.2481 / 0.05 = 4.96:1: black.
        XCTAssertEqual(Palette.sequential(0.5), "#7c7b78")
        XCTAssertEqual(Palette.relativeLuminance((0x7c, 0x7b, 0x78)), 0.1981, accuracy: 0.0002)
        XCTAssertEqual(Palette.textOnSequential(0.5), "#000000")
        XCTAssertEqual(Palette.textOnSequential(0), "#ffffff")
        XCTAssertEqual(Palette.textOnSequential(1), "#000000")
    }

    /// Dots alone mark a projected continuation: every line pattern of the charts has a dash of
    /// at least 3 units, so no cohort's or channel's line reads as one.
    func testOnlyProjectionsAreDotted() {
        for pattern in Palette.dashes where !pattern.isEmpty {
            let dashes = pattern.split(separator: " ").enumerated().filter { $0.offset % 2 == 0 }
            XCTAssertGreaterThanOrEqual(dashes.compactMap { Double($0.element) }.max() ?? 0, 3, pattern)
        }
        XCTAssertFalse(Palette.dashes.contains(Palette.projectedDash))
        XCTAssertEqual(Palette.projectedDash.split(separator: " ").first.flatMap { Double($0) }, 1)
    }
}
