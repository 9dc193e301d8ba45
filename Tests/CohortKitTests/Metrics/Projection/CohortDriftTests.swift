import XCTest

@testable import CohortKit

/// Drift alerts worked by hand: a cohort whose newest cell falls below the band of its
/// predecessors at the same age (docs/metrics.md#drift-alerts).
final class CohortDriftTests: XCTestCase {
    let last = Month(year: 2024, month: 12)

    /// A cohort of 100 with `kept` active after one month.
    func curve(_ cohort: Month, kept: Int) -> RetentionProjection.Curve {
        RetentionProjection.Curve(
            cohort: cohort, customers: 100, active: [100, kept], mrrStart: 100, mrr: [100, Int64(kept)])
    }

    /// Twelve cohorts of 100 keep 95 after a month; the newest keeps 88. One cell judged: the band
    /// starts at 0.95 − 2.576 × √(0.95 × 0.05 / 100) = 89.4%, so 88% is an alert. Judged among 1,000
    /// cells (a project with many channels), z = 4.42 and the band starts at 85.4%: no alert.
    func testBandAndItsBonferroniAdjustment() {
        // Older cohorts' newest cells fall in earlier months: only 2024-11's M1 is judged this run.
        var curves = (0..<12).map { i in
            RetentionProjection.Curve(
                cohort: Month(year: 2023, month: 1) + i, customers: 100, active: [100, 95], mrrStart: 100,
                mrr: [100, 95])
        }
        curves.append(
            RetentionProjection.Curve(
                cohort: Month(year: 2024, month: 11), customers: 100, active: [100, 88], mrrStart: 100, mrr: [100, 88]))
        XCTAssertEqual(CohortDrift.checks(curves, lastMonth: last), 1)
        let one = CohortDrift.alerts(curves, lastMonth: last, confidence: 0.99, checks: 1)
        XCTAssertEqual(one.map(\.cohort), [Month(year: 2024, month: 11)])
        XCTAssertEqual(
            one.first?.bandLower ?? 0, 0.95 - 2.5758293035489 * (0.95 * 0.05 / 100).squareRoot(), accuracy: 1e-9)
        XCTAssertTrue(CohortDrift.alerts(curves, lastMonth: last, confidence: 0.99, checks: 1000).isEmpty)
    }

    /// Predecessors keep 90, 95 and 100 of 100: pooled p = 285/300 = 0.95, their spread
    /// s = √((0.05² + 0 + 0.05²) / 2) = 0.05, wider than a cohort of 100's binomial noise
    /// √(0.95 × 0.05 / 100) = 0.0218. One cell judged at 99%: z = 2.5758293, lower edge
    /// 0.95 − 2.5758293 × 0.05 = 0.8212085. A cohort at 80% is below it; one at 85% is inside
    /// (it would be below the binomial band's 89.4%).
    func testCohortBelowTheSpreadBandAndOneInside() throws {
        let before = [
            curve(Month(year: 2024, month: 1), kept: 90), curve(Month(year: 2024, month: 2), kept: 95),
            curve(Month(year: 2024, month: 3), kept: 100),
        ]
        let low = before + [curve(Month(year: 2024, month: 11), kept: 80)]
        XCTAssertEqual(CohortDrift.checks(low, lastMonth: last), 1)
        let alerts = CohortDrift.alerts(low, lastMonth: last, confidence: 0.99, checks: 1)
        XCTAssertEqual(alerts.count, 1)
        let a = try XCTUnwrap(alerts.first)
        XCTAssertEqual(a.cohort, Month(year: 2024, month: 11))
        XCTAssertEqual(a.offset, 1)
        XCTAssertEqual(a.logo, 0.8, accuracy: 1e-15)
        XCTAssertEqual(a.bandLower, 0.8212085, accuracy: 1e-7)
        XCTAssertEqual(a.predecessorsRetention, 0.95, accuracy: 1e-15)
        XCTAssertEqual(a.predecessors, 3)

        let inside = before + [curve(Month(year: 2024, month: 11), kept: 85)]
        XCTAssertEqual(CohortDrift.checks(inside, lastMonth: last), 1)
        XCTAssertTrue(CohortDrift.alerts(inside, lastMonth: last, confidence: 0.99, checks: 1).isEmpty)
    }

    /// Fewer than three predecessors: nothing is judged, however low the cohort.
    func testTwoPredecessorsAreNotEnough() {
        let curves = [
            curve(Month(year: 2024, month: 1), kept: 95), curve(Month(year: 2024, month: 2), kept: 95),
            curve(Month(year: 2024, month: 11), kept: 10),
        ]
        XCTAssertEqual(CohortDrift.checks(curves, lastMonth: last), 0)
        XCTAssertTrue(CohortDrift.alerts(curves, lastMonth: last, confidence: 0.99, checks: 1).isEmpty)
    }

    /// Fourteen predecessors, the two oldest at 50%, the twelve newest at 95%: only the twelve
    /// newest count, so p = 0.95 with no spread, the band starts at 89.4% (binomial) and 88% is an
    /// alert. Counting all fourteen would give p = 1,240 / 1,400 = 0.886 and a wide band.
    func testOnlyTheTwelveNewestPredecessorsCount() throws {
        let old = (0..<2).map { curve(Month(year: 2022, month: 11) + $0, kept: 50) }
        let recent = (0..<12).map { curve(Month(year: 2023, month: 1) + $0, kept: 95) }
        let curves = old + recent + [curve(Month(year: 2024, month: 11), kept: 88)]
        let a = try XCTUnwrap(CohortDrift.alerts(curves, lastMonth: last, confidence: 0.99, checks: 1).first)
        XCTAssertEqual(a.predecessors, 12)
        XCTAssertEqual(a.predecessorsRetention, 0.95, accuracy: 1e-15)
        XCTAssertEqual(a.bandLower, 0.95 - 2.5758293035489 * (0.95 * 0.05 / 100).squareRoot(), accuracy: 1e-9)
    }
}
