import XCTest

@testable import CohortKit

/// A channel's observed triangle cells as one curve per cohort, on the customers of
/// `TriangleTests` (as_of 2024-04-30, channels web 0 and ads 1; slot 2 is `(all)`, slot 3 `(other)`):
///
///     A web  cohort 01  active at s(Jan..Apr): 1 1 1 1, MRR 100 100 100 100
///     B web  cohort 01  1 0 1 1, MRR 50 0 80 80
///     C ads  cohort 01  1 1 1 1, MRR 200 300 300 300
///     D ads  cohort 02  1 0 0, MRR 60 0 0
///     E web  cohort 03  0 0 (a member never seen at a month end)
final class TriangleCurvesTests: XCTestCase {
    func accumulator(maxOffset: Int = 3, pooled: [Bool]? = nil) throws -> TriangleAccumulator {
        var t = TriangleAccumulator(
            firstCohort: Hand.month("2024-01"), lastMonth: Hand.month("2024-04"), maxOffset: maxOffset, channels: 2,
            pooled: pooled)
        for c in TriangleTests.customers {
            t.add(
                cohort: Hand.month(c.cohort), channel: c.channel,
                snapshots: try Hand.snapshots(c.intervals, asOf: "2024-04-30"))
        }
        return t
    }

    /// (all): cohort 01 = A + B + C, 3 customers, active 3 2 3 3, MRR 350 400 480 480; cohort 02 =
    /// D; cohort 03 = E, whose start MRR is 0. ads: C and D.
    func testCurvesAreTheObservedCellsPerCohort() throws {
        let t = try accumulator()
        let all = t.curves(channel: 2)
        XCTAssertEqual(all.map(\.cohort), ["2024-01", "2024-02", "2024-03"].map { Hand.month($0) })
        XCTAssertEqual(all.map(\.customers), [3, 1, 1])
        XCTAssertEqual(all.map(\.active), [[3, 2, 3, 3], [1, 0, 0], [0, 0]])
        XCTAssertEqual(all.map(\.mrrStart), [350, 60, 0])
        XCTAssertEqual(all.map(\.mrr), [[350, 400, 480, 480], [60, 0, 0], [0, 0]])
        let ads = t.curves(channel: 1)
        XCTAssertEqual(ads.map(\.cohort), ["2024-01", "2024-02"].map { Hand.month($0) })
        XCTAssertEqual(ads.map(\.active), [[1, 1, 1, 1], [1, 0, 0]])
        XCTAssertEqual(t.curves(channel: 3).count, 0, "(other) is empty when nothing is pooled")
    }

    /// With max offset 2 the curves stop at offset 2 even where later months are observed
    /// (cohort 01 keeps 3 2 3); with ads pooled, `(other)` holds ads' curves (C; D).
    func testCurvesStopAtTheMaxOffsetAndOtherHoldsThePooledChannels() throws {
        let t = try accumulator(maxOffset: 2, pooled: [false, true])
        let all = t.curves(channel: 2)
        XCTAssertEqual(all.map(\.active), [[3, 2, 3], [1, 0, 0], [0, 0]])
        XCTAssertEqual(all.map(\.mrr), [[350, 400, 480], [60, 0, 0], [0, 0]])
        let other = t.curves(channel: 3)
        XCTAssertEqual(other.map(\.cohort), ["2024-01", "2024-02"].map { Hand.month($0) })
        XCTAssertEqual(other.map(\.customers), [1, 1])
        XCTAssertEqual(other.map(\.active), [[1, 1, 1], [1, 0, 0]])
        XCTAssertEqual(other.map(\.mrrStart), [200, 60])
        XCTAssertEqual(other.map(\.mrr), [[200, 300, 300], [60, 0, 0]])
        XCTAssertEqual(t.curves(channel: 0).map(\.cohort), ["2024-01", "2024-03"].map { Hand.month($0) })
    }
}
