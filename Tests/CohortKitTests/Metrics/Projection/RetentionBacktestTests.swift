import Foundation
import XCTest

@testable import CohortKit

/// The backtest: the curves cut back `months` earlier, projected from there, and compared with
/// what was observed since (docs/metrics.md#backtest).
final class RetentionBacktestTests: XCTestCase {
    let m = { (s: String) in Month(iso: s) ?? Month(raw: 0) }

    /// Three cohorts of 10 with MRR 1,000 at signup, the last complete month 2024-03, max offset 1:
    ///
    ///     Z 2023-12  active 10 9, MRR 1000 900
    ///     A 2024-01  active 10 8, MRR 1000 800
    ///     B 2024-02  active 10 8, MRR 1000 600
    var curves: [RetentionProjection.Curve] {
        [
            .init(cohort: m("2023-12"), customers: 10, active: [10, 9], mrrStart: 1000, mrr: [1000, 900]),
            .init(cohort: m("2024-01"), customers: 10, active: [10, 8], mrrStart: 1000, mrr: [1000, 800]),
            .init(cohort: m("2024-02"), customers: 10, active: [10, 8], mrrStart: 1000, mrr: [1000, 600]),
        ]
    }

    /// One month back (cut-off 2024-02) Z and A keep both cells, B keeps its offset 0 only; two
    /// months back (2024-01) Z keeps both, A offset 0, and B had not started.
    func testTruncateKeepsTheCellsObservedByTheCutoff() {
        let one = RetentionBacktest.truncate(curves, lastMonth: m("2024-03"), months: 1)
        XCTAssertEqual(one.map(\.cohort), [m("2023-12"), m("2024-01"), m("2024-02")])
        XCTAssertEqual(one.map(\.active), [[10, 9], [10, 8], [10]])
        XCTAssertEqual(one.map(\.mrr), [[1000, 900], [1000, 800], [1000]])
        XCTAssertEqual(one.map(\.customers), [10, 10, 10])
        let two = RetentionBacktest.truncate(curves, lastMonth: m("2024-03"), months: 2)
        XCTAssertEqual(two.map(\.cohort), [m("2023-12"), m("2024-01")])
        XCTAssertEqual(two.map(\.active), [[10, 9], [10]])
        XCTAssertEqual(two.map(\.mrrStart), [1000, 1000])
    }

    /// One month back, only B's offset 1 is projected (horizon 1). Pooled links from Z and A:
    /// logo f(0) = 17/20 = 0.85, revenue g(0) = 1700/2000 = 0.85. B is at age 0, so its hazard is
    /// the pool's: projected logo 0.85 and revenue 0.85, observed 0.8 and 0.6: errors 5 and 25 points.
    /// Spreads (sample variance over the two cohorts): logo ln(9.5/10.5), ln(8.5/10.5) → σ² =
    /// ln(9.5/8.5)² / 2 = 0.0061856; revenue ln 0.9, ln 0.8 → σ² = ln(9/8)² / 2 = 0.0069364.
    /// 95% (z = 1.959964): logo 0.85 × exp(∓z σ) = 0.728573 … 0.991664, which holds 0.8; revenue
    /// from 0.85 × exp(−z σ) = 0.721982, which 0.6 is below. So horizon 1 and the total:
    /// 1 cell, MAE 5 points, coverage 1; 1 revenue cell, MAE 25 points, coverage 0.
    /// (Bounds evaluated in a few lines of Python from these formulas.)
    func testHandWorkedCutAndError() throws {
        let rows = RetentionBacktest.run(
            curves, lastMonth: m("2024-03"), months: 1, maxOffset: 1, confidence: 0.95)
        XCTAssertEqual(rows.map(\.horizon), [1, 0])
        for r in rows {
            XCTAssertEqual(r.cells, 1, "horizon \(r.horizon)")
            XCTAssertEqual(try XCTUnwrap(r.logoMAEPoints), 5, accuracy: 1e-9, "horizon \(r.horizon)")
            XCTAssertEqual(r.logoCoverage, 1, "horizon \(r.horizon)")
            XCTAssertEqual(r.revenueCells, 1, "horizon \(r.horizon)")
            XCTAssertEqual(try XCTUnwrap(r.revenueMAEPoints), 25, accuracy: 1e-9, "horizon \(r.horizon)")
            XCTAssertEqual(r.revenueCoverage, 0, "horizon \(r.horizon)")
        }
        // The bounds the coverage was judged against, as worked above.
        let cells = RetentionProjection.project(
            RetentionBacktest.truncate(curves, lastMonth: m("2024-03"), months: 1), maxOffset: 1, confidence: 0.95)
        XCTAssertEqual(cells.count, 1)
        let c = try XCTUnwrap(cells.first)
        XCTAssertEqual(c.logoLower, 0.728573, accuracy: 1e-6)
        XCTAssertEqual(c.logoUpper, 0.991664, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(c.revenueLower), 0.721982, accuracy: 1e-6)
    }

    /// A horizon with nothing to compare has no error or coverage; no backtest with 0 months.
    func testEmptyHorizonsAndNoMonths() {
        // Two months back (cut-off 2024-01): A's offset 1 is horizon 1, B had not started, and with
        // max offset 1 nothing reaches horizon 2.
        let rows = RetentionBacktest.run(curves, lastMonth: m("2024-03"), months: 2, maxOffset: 1, confidence: 0.95)
        XCTAssertEqual(rows.map(\.horizon), [1, 2, 0])
        XCTAssertEqual(rows.map(\.cells), [1, 0, 1])
        XCTAssertNil(rows[1].logoMAEPoints)
        XCTAssertNil(rows[1].logoCoverage)
        XCTAssertNil(rows[1].revenueMAEPoints)
        XCTAssertNil(rows[1].revenueCoverage)
        XCTAssertTrue(
            RetentionBacktest.run(curves, lastMonth: m("2024-03"), months: 0, maxOffset: 1, confidence: 0.95).isEmpty)
    }

    /// A stationary process (every cohort loses 4% a month, with seeded binomial noise): going
    /// back 6 months, the projections land within a few points and the 95% intervals cover most
    /// observed cells.
    func testBacktestOnStationaryData() {
        var rng = SplitMix(state: 7)
        let last = m("2024-12")
        let curves = (0..<30).map { i -> RetentionProjection.Curve in
            let cohort = m("2022-07") + i
            let age = min(24, Int(last.raw - cohort.raw))
            var alive = 400
            var active = [400]
            for _ in 0..<age {
                var next = 0
                for _ in 0..<alive where rng.uniform() >= 0.04 { next += 1 }
                alive = next
                active.append(alive)
            }
            return RetentionProjection.Curve(
                cohort: cohort, customers: 400, active: active, mrrStart: 40_000, mrr: active.map { Int64($0) * 100 })
        }
        let truncated = RetentionBacktest.truncate(curves, lastMonth: last, months: 6)
        XCTAssertEqual(truncated.count, 24)
        XCTAssertEqual(truncated.last?.active.count, 1, "the 2024-06 cohort was seen at offset 0 only")
        let rows = RetentionBacktest.run(curves, lastMonth: last, months: 6, maxOffset: 24, confidence: 0.95)
        XCTAssertEqual(rows.map(\.horizon), [1, 2, 3, 4, 5, 6, 0], "seed 7")
        let total = rows[6]
        XCTAssertEqual(total.cells, rows.prefix(6).reduce(0) { $0 + $1.cells })
        XCTAssertLessThan(total.logoMAEPoints ?? 99, 3, "seed 7")
        XCTAssertGreaterThan(total.logoCoverage ?? 0, 0.8, "seed 7")
        XCTAssertTrue(
            RetentionBacktest.run(curves, lastMonth: last, months: 0, maxOffset: 24, confidence: 0.95).isEmpty)
    }
}
