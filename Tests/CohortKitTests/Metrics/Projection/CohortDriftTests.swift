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

    /// Twelve cohorts of 100 keep 95 after a month; the newest keeps 88. One cell judged (α = 0.005):
    /// with each customer staying at (1,140 + 1) / (1,200 + 2) = 0.94925, a cohort of 100 keeps 88
    /// or fewer with probability 0.0048 and 89 or fewer with 0.0127 (scipy.stats.binom.cdf), so the
    /// band starts at 89% and 88% is an alert. Judged among 1,000 cells (a project with many
    /// channels, α = 0.000005) the band starts at 83%: no alert.
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
        XCTAssertEqual(one.first?.bandLower ?? 0, 0.89, accuracy: 1e-12)
        XCTAssertTrue(CohortDrift.alerts(curves, lastMonth: last, confidence: 0.99, checks: 1000).isEmpty)
        XCTAssertEqual(CohortDrift.binomialLowerCount(n: 100, rate: 1141.0 / 1202, alpha: 0.005 / 1000), 83)
    }

    /// Predecessors keep 90, 95 and 100 of 100: pooled p = 285/300 = 0.95, their spread
    /// s = √((0.05² + 0 + 0.05²) / 2) = 0.05, wider than a cohort of 100's binomial noise (whose
    /// band starts at 88%). One cell judged at 99%: z = 2.5758293, lower edge
    /// 0.95 − 2.5758293 × 0.05 = 0.8212085. A cohort at 80% is below it; one at 85% is inside
    /// (it would be below the binomial band's 88%).
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
    /// newest count, so p = 0.95 with no spread, the band starts at 89% (binomial) and 88% is an
    /// alert. Counting all fourteen would give p = 1,240 / 1,400 = 0.886 and a wide band.
    func testOnlyTheTwelveNewestPredecessorsCount() throws {
        let old = (0..<2).map { curve(Month(year: 2022, month: 11) + $0, kept: 50) }
        let recent = (0..<12).map { curve(Month(year: 2023, month: 1) + $0, kept: 95) }
        let curves = old + recent + [curve(Month(year: 2024, month: 11), kept: 88)]
        let a = try XCTUnwrap(CohortDrift.alerts(curves, lastMonth: last, confidence: 0.99, checks: 1).first)
        XCTAssertEqual(a.predecessors, 12)
        XCTAssertEqual(a.predecessorsRetention, 0.95, accuracy: 1e-15)
        XCTAssertEqual(a.bandLower, 0.89, accuracy: 1e-12)
    }

    /// Twelve one-customer cohorts all kept: the newest losing its one customer is no alert (at a
    /// rate of 13/14 that happens with probability 1/14). A normal band around p = 1 would have
    /// no width and flag it.
    func testACohortOfOneLosingItsCustomerIsNoAlert() {
        let ones = (0..<12).map { i in
            RetentionProjection.Curve(
                cohort: Month(year: 2023, month: 1) + i, customers: 1, active: [1, 1], mrrStart: 1, mrr: [1, 1])
        }
        let lost = RetentionProjection.Curve(
            cohort: Month(year: 2024, month: 11), customers: 1, active: [1, 0], mrrStart: 1, mrr: [1, 0])
        XCTAssertTrue(CohortDrift.alerts(ones + [lost], lastMonth: last, confidence: 0.99, checks: 1).isEmpty)
    }

    /// Annual contracts: twelve cohorts of 30 all still active after three months. A new cohort of
    /// 30 losing one is inside the band (probability 0.079 at a rate of 361/362); losing two is an
    /// alert (0.0032, scipy.stats.binom.cdf(28, 30, 361/362)).
    func testAFullRecordStillLeavesRoomForOneLoss() {
        let full = (0..<12).map { i in
            RetentionProjection.Curve(
                cohort: Month(year: 2023, month: 3) + i, customers: 30, active: [30, 30, 30, 30], mrrStart: 30,
                mrr: [30, 30, 30, 30])
        }
        func newest(_ kept: Int) -> RetentionProjection.Curve {
            RetentionProjection.Curve(
                cohort: Month(year: 2024, month: 9), customers: 30, active: [30, 30, 30, kept], mrrStart: 30,
                mrr: [30, 30, 30, Int64(kept)])
        }
        XCTAssertTrue(CohortDrift.alerts(full + [newest(29)], lastMonth: last, confidence: 0.99, checks: 1).isEmpty)
        let two = CohortDrift.alerts(full + [newest(28)], lastMonth: last, confidence: 0.99, checks: 1)
        XCTAssertEqual(two.map(\.offset), [3])
        XCTAssertEqual(two.first?.bandLower ?? 0, 29.0 / 30, accuracy: 1e-12)
    }

    /// The exact lower count against scipy.stats.binom (smallest k with cdf(k) ≥ α), including a
    /// cohort too large for P(X = 0) to be a double.
    func testBinomialLowerCountMatchesScipy() {
        XCTAssertEqual(CohortDrift.binomialLowerCount(n: 100, rate: 1141.0 / 1202, alpha: 0.005), 89)
        XCTAssertEqual(CohortDrift.binomialLowerCount(n: 30, rate: 361.0 / 362, alpha: 0.005), 29)
        XCTAssertEqual(CohortDrift.binomialLowerCount(n: 1, rate: 13.0 / 14, alpha: 0.005), 0)
        XCTAssertEqual(CohortDrift.binomialLowerCount(n: 100_000, rate: 0.95, alpha: 0.005), 94822)
    }
}
