import XCTest

@testable import CohortKit

final class CustomerFactsTests: XCTestCase {
    func day(_ s: String) throws -> Int32 { try XCTUnwrap(Day(iso: s)).raw }

    /// 1,000 a month from 2023-06-01, 600 from 2024-03-01, nothing from 2024-06-01; as of
    /// 2024-12-31 (last complete month 2024-12). Month-end MRR: 1,000 through 2024-02, 600 for
    /// March–May, then 0. Of the 12 months 2024-01…2024-12, those starting with MRR are January
    /// to June (6); June ends at 0 (1 churned month). Churned MRR: 400 in March + 600 in June =
    /// 1,000. The stretch ends 2024-06-01, so the MRR lost at the latest churn is that of
    /// 2024-05-31: 600. Expansion is observable (2023-06 + 11 months = 2024-05 <= 2024-12):
    /// never above the initial 1,000 → false; above an initial 500 → true.
    func testFactsOfOneCustomerByHand() throws {
        let ivs = [
            PaidInterval(start: try day("2023-06-01"), end: try day("2024-03-01"), mrrMinor: 1_000, product: 0),
            PaidInterval(start: try day("2024-03-01"), end: try day("2024-06-01"), mrrMinor: 600, product: 0),
        ]
        let lastMonth = Month(year: 2024, month: 12)
        var snaps = CustomerSnapshots()
        try snaps.load(ivs, lastMonth: lastMonth)
        let first = try XCTUnwrap(Day(iso: "2023-06-01"))
        let f = try CustomerFacts.of(ivs, snaps: snaps, firstStart: first, initialMRR: 1_000, lastMonth: lastMonth)
        XCTAssertEqual(f.churnedMRR12m, 1_000)
        XCTAssertEqual(f.monthlyBase, 6)
        XCTAssertEqual(f.monthlyChurned, 1)
        XCTAssertEqual(f.lastChurnMRR, 600)
        XCTAssertEqual(f.expanded, false)
        XCTAssertEqual(
            try CustomerFacts.of(ivs, snaps: snaps, firstStart: first, initialMRR: 500, lastMonth: lastMonth).expanded,
            true)
        XCTAssertNil(
            try CustomerFacts.of(ivs, snaps: snaps, firstStart: nil, initialMRR: 500, lastMonth: lastMonth).expanded,
            "no expansion for a customer who never converted")
    }

    /// Still paying at as_of (open interval): nothing churned, no stretch ended (lost MRR 0), 12
    /// months of base. A gap (2024-02-01 to 2024-04-01) ends a stretch: its last day's MRR counts.
    func testOpenIntervalAndGap() throws {
        let lastMonth = Month(year: 2024, month: 12)
        let ivs = [
            PaidInterval(start: try day("2023-01-01"), end: try day("2024-02-01"), mrrMinor: 300, product: 0),
            PaidInterval(start: try day("2024-04-01"), end: PaidInterval.open, mrrMinor: 300, product: 0),
        ]
        var snaps = CustomerSnapshots()
        try snaps.load(ivs, lastMonth: lastMonth)
        let f = try CustomerFacts.of(
            ivs, snaps: snaps, firstStart: Day(raw: try day("2023-01-01")), initialMRR: 300, lastMonth: lastMonth)
        // 2024-02 starts with 300 and ends with 0 (churned 300, one churned month); 2024-03 starts
        // with 0 (not in the base); 2024-04 starts with 0 as well. Base: 12 − 2 = 10.
        XCTAssertEqual(f.churnedMRR12m, 300)
        XCTAssertEqual(f.monthlyBase, 10)
        XCTAssertEqual(f.monthlyChurned, 1)
        XCTAssertEqual(f.lastChurnMRR, 300)
    }

    func testJoinedKeepsThePartsInOrder() {
        var a = CustomerFacts()
        a.churnedMRR12m = [1]
        a.lastChurnMRR = [2]
        a.monthlyBase = [3]
        a.monthlyChurned = [4]
        a.expanded = [true]
        var b = CustomerFacts()
        b.churnedMRR12m = [5, 6]
        b.lastChurnMRR = [7, 8]
        b.monthlyBase = [9, 10]
        b.monthlyChurned = [11, 12]
        b.expanded = [nil, false]
        let j = CustomerFacts.joined([a, b])
        XCTAssertEqual(j.churnedMRR12m, [1, 5, 6])
        XCTAssertEqual(j.lastChurnMRR, [2, 7, 8])
        XCTAssertEqual(j.monthlyBase, [3, 9, 10])
        XCTAssertEqual(j.monthlyChurned, [4, 11, 12])
        XCTAssertEqual(j.expanded, [true, nil, false])
    }
}
