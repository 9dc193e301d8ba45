import Foundation
import XCTest

@testable import CohortKit

/// Projections, drift alerts and the backtest of a whole triangle: `(all)` first, then the
/// channels in output order (docs/metrics.md#projected-retention, #drift-alerts, #backtest).
final class CohortProjectionsTests: XCTestCase {
    /// The triangle of `TriangleTests` (as_of 2024-04-30, max offset 3), channels web (0) and ads (1):
    ///
    ///     (all)  2024-01: 3 customers, active 3 2 3 3   2024-02: 1, active 1 0 0   2024-03: 1, active 0 0
    ///     web    2024-01: 2, active 2 1 2 2              2024-03: 1, active 0 0
    ///     ads    2024-01: 1, active 1 1 1 1              2024-02: 1, active 1 0 0
    func triangle() throws -> TriangleAccumulator {
        var t = TriangleAccumulator(
            firstCohort: Hand.month("2024-01"), lastMonth: Hand.month("2024-04"), maxOffset: 3, channels: 2)
        for c in TriangleTests.customers {
            t.add(
                cohort: Hand.month(c.cohort), channel: c.channel,
                snapshots: try Hand.snapshots(c.intervals, asOf: "2024-04-30"))
        }
        return t
    }

    /// Pooled links, active(j+1) summed over active(j) summed across the cohorts observed at j+1:
    ///   (all): f(0) = (2 + 0 + 0) / (3 + 1 + 0) = 0.5, f(1) = (3 + 0) / (2 + 0) = 1.5, f(2) = 3/3 = 1
    ///   ads:   f(0) = (1 + 0) / (1 + 1) = 0.5,   f(1) = (1 + 0) / (1 + 0) = 1,     f(2) = 1
    ///   web:   f(0) = (1 + 0) / (2 + 0) = 0.5,   f(1) = 2/1 = 2 (B came back),     f(2) = 1
    func testLinksPerGroupAllFirstThenTheOrder() throws {
        let p = CohortProjections(triangle: try triangle(), channelNames: ["web", "ads"], order: [1, 0])
        XCTAssertEqual(p.links.map(\.logo), [[0.5, 1.5, 1], [0.5, 1, 1], [0.5, 2, 1]])
        XCTAssertEqual(p.allLinks.logo, [0.5, 1.5, 1])
    }

    /// The cells still to project: (all) 2024-02 at offset 3 and 2024-03 at 2 and 3; ads 2024-02
    /// at 3; web 2024-03 at 2 and 3. Each of these cohorts has no customer active at its newest
    /// cell, so every projection is 0 (bounds too); revenue is 0 for 2024-02 (MRR 60 at signup,
    /// 0 since) and null for 2024-03 (no MRR at signup). Every link used was observed.
    func testProjectionsNamedAndOrdered() throws {
        let p = CohortProjections(triangle: try triangle(), channelNames: ["web", "ads"], order: [1, 0])
        var rows: [ProjectionRecord] = []
        p.projections(confidence: 0.95) { rows.append($0) }
        XCTAssertEqual(rows.map(\.channel), ["(all)", "(all)", "(all)", "ads", "web", "web"])
        XCTAssertEqual(rows.map(\.cohort), ["2024-02", "2024-03", "2024-03", "2024-02", "2024-03", "2024-03"])
        XCTAssertEqual(rows.map(\.offset), [3, 2, 3, 3, 2, 3])
        XCTAssertEqual(rows.map(\.logoRetention), Array(repeating: 0, count: 6))
        XCTAssertEqual(rows.map(\.logoLower), Array(repeating: 0, count: 6))
        XCTAssertEqual(rows.map(\.logoUpper), Array(repeating: 0, count: 6))
        XCTAssertEqual(rows.map(\.revenueRetention), [0, nil, nil, 0, nil, nil])
        XCTAssertEqual(rows.map(\.method), Array(repeating: "chain_ladder", count: 6))
    }

    /// The backtest is the `(all)` triangle's, one month back: the records carry
    /// `RetentionBacktest.run` on the `(all)` curves field by field.
    func testBacktestIsTheAllTriangles() throws {
        let t = try triangle()
        let p = CohortProjections(triangle: t, channelNames: ["web", "ads"], order: [1, 0])
        let records = p.backtest(lastMonth: Hand.month("2024-04"), months: 1, confidence: 0.95)
        let direct = RetentionBacktest.run(
            t.curves(channel: 2), lastMonth: Hand.month("2024-04"), months: 1, maxOffset: 3, confidence: 0.95)
        XCTAssertEqual(records.map(\.horizonMonths), [1, 0])
        XCTAssertEqual(direct.map(\.horizon), [1, 0])
        for (r, d) in zip(records, direct) {
            XCTAssertEqual(
                r,
                BacktestRecord(
                    horizonMonths: d.horizon, cells: d.cells, logoMAEPoints: d.logoMAEPoints,
                    logoCoverage: d.logoCoverage, revenueCells: d.revenueCells, revenueMAEPoints: d.revenueMAEPoints,
                    revenueCoverage: d.revenueCoverage))
        }
        XCTAssertGreaterThan(records.last?.cells ?? 0, 0, "some cell is compared")
        XCTAssertTrue(p.backtest(lastMonth: Hand.month("2024-04"), months: 0, confidence: 0.95).isEmpty)
    }

    /// One channel, web, as_of 2024-06-30, max offset 1. Cohorts 2024-01 … 2024-04 have 100
    /// customers each, 89 of them still paying a month later; cohort 2024-05 has 100, `kept` of them
    /// still paying at the end of June. Only 2024-05's offset 1 is new in June, in (all) and in
    /// web: 2 cells judged in the run. Predecessors: p = 0.89, no spread. At 99% over 2 checks the
    /// one-sided level is 0.01 / 4 = 0.0025; at a rate of (356 + 1) / (400 + 2), a cohort of 100
    /// keeps 78 or fewer with probability 0.0014 and 79 or fewer with 0.0033
    /// (scipy.stats.binom.cdf), so the band starts at 79% (over 1 check, level 0.005, at 80%).
    /// 78 kept: an alert in (all) and in web; 79 kept: none (it would be one if each group
    /// counted only its own check).
    func testDriftBandWidensForTheChecksOfEveryGroup() throws {
        func triangle(kept: Int) throws -> TriangleAccumulator {
            var t = TriangleAccumulator(
                firstCohort: Hand.month("2024-01"), lastMonth: Hand.month("2024-06"), maxOffset: 1, channels: 1)
            for month in 1...5 {
                let stay = month == 5 ? kept : 89
                for i in 0..<100 {
                    // A churner pays from the 5th of its signup month to the 10th of the next.
                    let end = i < stay ? nil : String(format: "2024-%02d-10", month + 1)
                    let s = try Hand.snapshots(
                        [Hand.iv(String(format: "2024-%02d-05", month), end, 100)], asOf: "2024-06-30")
                    t.add(cohort: Hand.month(String(format: "2024-%02d", month)), channel: 0, snapshots: s)
                }
            }
            return t
        }
        var alerts: [DriftRecord] = []
        let low = CohortProjections(triangle: try triangle(kept: 78), channelNames: ["web"], order: [0])
        low.drift(lastMonth: Hand.month("2024-06"), confidence: 0.99) { alerts.append($0) }
        XCTAssertEqual(alerts.map(\.channel), ["(all)", "web"])
        for a in alerts {
            XCTAssertEqual(a.cohort, "2024-05")
            XCTAssertEqual(a.offset, 1)
            XCTAssertEqual(a.logoRetention ?? 0, 0.78, accuracy: 1e-12)
            XCTAssertEqual(a.bandLower ?? 0, 0.79, accuracy: 1e-12)
            XCTAssertEqual(a.predecessorsRetention ?? 0, 0.89, accuracy: 1e-12)
            XCTAssertEqual(a.predecessors, 4)
        }
        alerts = []
        let inside = CohortProjections(triangle: try triangle(kept: 79), channelNames: ["web"], order: [0])
        inside.drift(lastMonth: Hand.month("2024-06"), confidence: 0.99) { alerts.append($0) }
        XCTAssertTrue(alerts.isEmpty, "\(alerts)")
    }
}
