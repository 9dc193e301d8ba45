import XCTest

@testable import CohortKit

/// Hand-worked timelines (docs/metrics.md#customer-timeline, #cohorts, #survival).
final class CustomerTimelineTests: XCTestCase {
    func day(_ s: String) -> Day { Day(iso: s)! }
    func iv(_ a: String, _ b: String?, _ mrr: Int64, product: Int32 = 0) -> PaidInterval {
        PaidInterval(
            start: day(a).raw, end: b.map { day($0).raw } ?? PaidInterval.open, mrrMinor: mrr, product: product)
    }

    /// No interval: not converted, no cohort, nothing churned, no MRR.
    func testNeverConverted() throws {
        let t = try CustomerTimeline(intervals: [], asOf: day("2024-12-31"), signup: day("2024-03-05"), bySignup: true)
        XCTAssertFalse(t.converted)
        XCTAssertNil(t.cohort)
        XCTAssertNil(t.firstChurn)
        XCTAssertNil(t.durationDays)
        XCTAssertFalse(t.churned)
        XCTAssertEqual(t.mrrAtAsOfMinor, 0)
        XCTAssertEqual(t.initialMRRMinor, 0)
    }

    /// Two products from 2024-01-10 (1,000 + 500), one ends 2024-04-10, the other 2024-06-01:
    /// the first stretch ends 2024-06-01, so first_churn 2024-06-01 and duration
    /// 2024-06-01 − 2024-01-10 = 22 + 29 + 31 + 30 + 31 = 143 days; initial MRR 1,500; nothing at as_of.
    func testChurnedStretch() throws {
        let t = try CustomerTimeline(
            intervals: [iv("2024-01-10", "2024-04-10", 1000), iv("2024-01-10", "2024-06-01", 500, product: 1)],
            asOf: day("2024-12-31"), signup: nil, bySignup: false)
        XCTAssertEqual(t.firstStart, day("2024-01-10"))
        XCTAssertEqual(t.cohort, Month(iso: "2024-01"))
        XCTAssertTrue(t.churned)
        XCTAssertEqual(t.firstChurn, day("2024-06-01"))
        XCTAssertEqual(t.durationDays, 143)
        XCTAssertEqual(t.initialMRRMinor, 1500)
        XCTAssertEqual(t.mrrAtAsOfMinor, 0)
    }

    /// Open from 2024-12-01 at 2,000: censored at as_of 2024-12-31, duration 31 days (as_of
    /// counts), MRR 2,000 at as_of. With the signup basis the cohort is the signup month, and
    /// without a signup date it falls back to the first paying month.
    func testCensoredAndSignupCohorts() throws {
        let intervals = [iv("2024-12-01", nil, 2000)]
        let bySignup = try CustomerTimeline(
            intervals: intervals, asOf: day("2024-12-31"), signup: day("2024-10-20"), bySignup: true)
        XCTAssertFalse(bySignup.churned)
        XCTAssertNil(bySignup.firstChurn)
        XCTAssertEqual(bySignup.durationDays, 31)
        XCTAssertEqual(bySignup.mrrAtAsOfMinor, 2000)
        XCTAssertEqual(bySignup.cohort, Month(iso: "2024-10"))
        let noSignup = try CustomerTimeline(intervals: intervals, asOf: day("2024-12-31"), signup: nil, bySignup: true)
        XCTAssertEqual(noSignup.cohort, Month(iso: "2024-12"))
        let byFirstPayment = try CustomerTimeline(
            intervals: intervals, asOf: day("2024-12-31"), signup: day("2024-10-20"), bySignup: false)
        XCTAssertEqual(byFirstPayment.cohort, Month(iso: "2024-12"))
    }

    /// A return after a gap: the first stretch ends at the gap (first churn 2024-03-01, 60 days
    /// from 2024-01-01), while MRR at as_of is the return's 700.
    func testReturnAfterAGapKeepsTheFirstChurn() throws {
        let t = try CustomerTimeline(
            intervals: [iv("2024-01-01", "2024-03-01", 400), iv("2024-09-01", nil, 700)], asOf: day("2024-12-31"),
            signup: nil, bySignup: false)
        XCTAssertEqual(t.firstChurn, day("2024-03-01"))
        XCTAssertEqual(t.durationDays, 60)
        XCTAssertEqual(t.mrrAtAsOfMinor, 700)
        XCTAssertEqual(t.initialMRRMinor, 400)
    }
}
