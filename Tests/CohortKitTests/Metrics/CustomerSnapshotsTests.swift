import XCTest

@testable import CohortKit

/// Month-end snapshots (docs/metrics.md#month-end-snapshots).
final class CustomerSnapshotsTests: XCTestCase {
    func load(_ ivs: [PaidInterval], lastMonth: String) throws -> CustomerSnapshots {
        var s = CustomerSnapshots()
        try s.load(ivs, lastMonth: Hand.month(lastMonth))
        return s
    }

    /// The table in docs/metrics.md: which subscriptions count at s(Jan).
    func testTheExclusiveEndAtAMonthEnd() throws {
        let jan = Hand.month("2024-01")
        let feb = Hand.month("2024-02")
        let toFirst = try load([Hand.iv("2024-01-15", "2024-02-01", 10)], lastMonth: "2024-03")
        XCTAssertEqual([toFirst.at(jan), toFirst.at(feb)], [10, 0], "last day Jan 31: at s(Jan), churn in February")
        let toLast = try load([Hand.iv("2024-01-15", "2024-01-31", 10)], lastMonth: "2024-03")
        XCTAssertEqual([toLast.at(jan), toLast.at(feb)], [0, 0], "last day Jan 30: never at a snapshot")
        let midFeb = try load([Hand.iv("2024-01-15", "2024-02-15", 10)], lastMonth: "2024-03")
        XCTAssertEqual([midFeb.at(jan), midFeb.at(feb)], [10, 0])
        let leap = try load([Hand.iv("2024-02-01", "2024-03-01", 10)], lastMonth: "2024-03")
        XCTAssertEqual(leap.at(feb), 10, "last day Feb 29 is s(Feb) in a leap year")
        let notLeap = try load([Hand.iv("2023-02-01", "2023-02-28", 10)], lastMonth: "2023-03")
        XCTAssertEqual(notLeap.at(Hand.month("2023-02")), 0, "last day Feb 27")
    }

    func testTotalsAndProductsPerMonth() throws {
        let s = try load(
            [
                Hand.iv("2024-01-20", nil, 100, product: 7), Hand.iv("2024-02-10", "2024-04-01", 30, product: 3),
                Hand.iv("2024-03-05", "2024-03-06", 999, product: 7),
            ], lastMonth: "2024-05")
        XCTAssertEqual(s.firstMonth, Hand.month("2024-01"))
        XCTAssertEqual(s.lastMonth, Hand.month("2024-05"))
        XCTAssertEqual(s.mrr, [100, 130, 130, 100, 100])
        XCTAssertEqual(s.products, [7, 3], "in order of first appearance")
        XCTAssertEqual((0..<5).map { s.at(Hand.month("2024-01") + $0, product: 0) }, [100, 100, 100, 100, 100])
        XCTAssertEqual((0..<5).map { s.at(Hand.month("2024-01") + $0, product: 1) }, [0, 30, 30, 0, 0])
        XCTAssertEqual(s.at(Hand.month("2023-12")), 0, "before the first interval")
        XCTAssertEqual(s.at(Hand.month("2024-06")), 0, "after the last complete month")
        XCTAssertEqual(s.at(Hand.month("2023-12"), product: 1), 0)
    }

    /// Intervals out of start order (a hand-edited intervals.jsonl) give the same snapshots, not
    /// a negative index: the first month is the earliest start, wherever it is.
    func testIntervalsInAnyOrderGiveTheSameSnapshots() throws {
        let ivs = [
            Hand.iv("2024-01-20", nil, 100, product: 7), Hand.iv("2024-02-10", "2024-04-01", 30, product: 3),
            Hand.iv("2024-03-05", "2024-03-06", 999, product: 7),
        ]
        let sorted = try load(ivs, lastMonth: "2024-05")
        let reversed = try load(ivs.reversed(), lastMonth: "2024-05")
        XCTAssertEqual(reversed.firstMonth, sorted.firstMonth)
        XCTAssertEqual(reversed.mrr, sorted.mrr)
        for product: Int32 in [3, 7] {
            let a = try XCTUnwrap(sorted.products.firstIndex(of: product))
            let b = try XCTUnwrap(reversed.products.firstIndex(of: product))
            XCTAssertEqual(sorted.productMRR[a], reversed.productMRR[b], "product \(product)")
        }
    }

    func testEmptyAndLateCustomersHaveNoSnapshots() throws {
        let none = try load([], lastMonth: "2024-03")
        XCTAssertTrue(none.mrr.isEmpty)
        XCTAssertEqual(none.at(Hand.month("2024-03")), 0)
        let late = try load([Hand.iv("2024-04-02", nil, 10)], lastMonth: "2024-03")
        XCTAssertTrue(late.mrr.isEmpty, "starts after the last complete month")
        XCTAssertEqual(late.at(Hand.month("2024-04")), 0)
    }

    /// Reloading reuses the buffers: nothing of the previous customer stays.
    func testReloadingForgetsThePreviousCustomer() throws {
        var s = CustomerSnapshots()
        try s.load(
            [Hand.iv("2024-01-01", nil, 100, product: 0), Hand.iv("2024-01-01", nil, 50, product: 1)],
            lastMonth: Hand.month("2024-03"))
        try s.load([Hand.iv("2024-02-10", nil, 7, product: 5)], lastMonth: Hand.month("2024-03"))
        XCTAssertEqual(s.firstMonth, Hand.month("2024-02"))
        XCTAssertEqual(s.mrr, [7, 7])
        XCTAssertEqual(s.products, [5])
        XCTAssertEqual(s.at(Hand.month("2024-03"), product: 0), 7)
    }

    func testLastCompleteMonth() {
        XCTAssertEqual(Month.lastComplete(asOf: Hand.day("2024-12-31")), Hand.month("2024-12"))
        XCTAssertEqual(Month.lastComplete(asOf: Hand.day("2024-12-15")), Hand.month("2024-11"))
        XCTAssertEqual(Month.lastComplete(asOf: Hand.day("2024-02-29")), Hand.month("2024-02"))
        XCTAssertEqual(Month.lastComplete(asOf: Hand.day("2023-02-28")), Hand.month("2023-02"))
        XCTAssertEqual(Month.lastComplete(asOf: Hand.day("2024-03-01")), Hand.month("2024-02"))
    }

    /// Snapshots agree with the MRR on each month's last day, on random intervals.
    func testAgreesWithTheMRROnTheLastDay() throws {
        var rng = SplitMix(state: 3)
        let first = Hand.day("2023-01-01").raw
        for _ in 0..<300 {
            var ivs: [PaidInterval] = []
            for _ in 0..<Int(rng.next() % 5 + 1) {
                let start = first + Int32(rng.next() % 500)
                let open = rng.next() % 4 == 0
                let end = open ? PaidInterval.open : start + 1 + Int32(rng.next() % 200)
                ivs.append(
                    PaidInterval(
                        start: start, end: end, mrrMinor: Int64(rng.next() % 1000 + 1), product: Int32(rng.next() % 3)))
            }
            ivs.sort { ($0.start, $0.end) < ($1.start, $1.end) }
            let last = Hand.month("2024-06")
            var s = CustomerSnapshots()
            try s.load(ivs, lastMonth: last)
            var m = Hand.month("2022-12")
            while m <= last {
                let d = m.lastDay.raw
                XCTAssertEqual(s.at(m), try Activity.mrr(ivs, on: d), "\(m) \(ivs)")
                for (p, id) in s.products.enumerated() {
                    XCTAssertEqual(s.at(m, product: p), try Activity.mrr(ivs.filter { $0.product == id }, on: d))
                }
                m = m + 1
            }
        }
    }
}
