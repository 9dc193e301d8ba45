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
}
