import XCTest

@testable import CohortKit

/// Capping, grace-day bridging and first stretches (docs/metrics.md#intervals-and-activity).
final class ActivityTests: XCTestCase {
    func testCapDropsWhatCannotCountAndOpensWhatRunsPastAsOf() {
        var ivs = [
            Hand.iv("2024-01-01", "2024-02-01", 100),  // kept as is
            Hand.iv("2024-05-01", nil, 100),  // starts after as_of: dropped
            Hand.iv("2024-02-10", "2024-02-10", 100),  // zero length: dropped
            Hand.iv("2024-01-01", nil, 0),  // free plan: dropped
            Hand.iv("2024-03-01", "2024-05-01", 70),  // last day Apr 30 = as_of: open
            Hand.iv("2024-03-01", "2024-04-30", 60),  // last day Apr 29: stays closed
            Hand.iv("2024-04-30", "2025-01-01", 50),  // starts on as_of: kept, open
        ]
        Activity.cap(&ivs, asOf: Hand.day("2024-04-30"))
        XCTAssertEqual(
            ivs,
            [
                Hand.iv("2024-01-01", "2024-02-01", 100), Hand.iv("2024-03-01", nil, 70),
                Hand.iv("2024-03-01", "2024-04-30", 60), Hand.iv("2024-04-30", nil, 50),
            ])
    }

    /// The documented example: a 4-day gap (Feb 1–4) is bridged with grace 7, not with grace 3.
    func testBridgesAGapUpToTheGraceDays() {
        var ivs = [Hand.iv("2024-02-05", "2024-03-01", 12_000), Hand.iv("2024-01-01", "2024-02-01", 10_000)]
        XCTAssertEqual(Activity.bridge(&ivs, graceDays: 7), 1)
        XCTAssertEqual(ivs, [Hand.iv("2024-01-01", "2024-02-05", 10_000), Hand.iv("2024-02-05", "2024-03-01", 12_000)])

        var strict = [Hand.iv("2024-01-01", "2024-02-01", 10_000), Hand.iv("2024-02-05", "2024-03-01", 12_000)]
        XCTAssertEqual(Activity.bridge(&strict, graceDays: 3), 0)
        XCTAssertEqual(
            strict, [Hand.iv("2024-01-01", "2024-02-01", 10_000), Hand.iv("2024-02-05", "2024-03-01", 12_000)])
    }

    func testAGapOfExactlyTheGraceDaysIsBridgedOneMoreIsNot() {
        // [Jan 1, Mar 1) then Mar 8: uncovered Mar 1–7, 7 days.
        var seven = [Hand.iv("2024-01-01", "2024-03-01", 1000), Hand.iv("2024-03-08", nil, 1000)]
        XCTAssertEqual(Activity.bridge(&seven, graceDays: 7), 1)
        XCTAssertEqual(seven.first?.end, Hand.day("2024-03-08").raw)
        var eight = [Hand.iv("2024-01-01", "2024-03-01", 1000), Hand.iv("2024-03-09", nil, 1000)]
        XCTAssertEqual(Activity.bridge(&eight, graceDays: 7), 0)
        XCTAssertEqual(eight.first?.end, Hand.day("2024-03-01").raw)
        var none = [Hand.iv("2024-01-01", "2024-03-01", 1000), Hand.iv("2024-03-02", nil, 1000)]
        XCTAssertEqual(Activity.bridge(&none, graceDays: 0), 0, "grace 0 bridges nothing")
    }

    /// Gaps are measured in the union of every product, and only intervals covering the last day
    /// before the gap are extended.
    func testOnlyIntervalsEndingAtTheGapAreExtended() {
        var ivs = [
            Hand.iv("2024-01-01", "2024-02-01", 100, product: 0),  // ends at the gap: extended
            Hand.iv("2024-01-01", "2024-01-20", 40, product: 1),  // ends earlier: unchanged
            Hand.iv("2024-01-10", "2024-02-01", 30, product: 2),  // ends at the gap too: extended
            Hand.iv("2024-02-04", nil, 100, product: 0),
        ]
        XCTAssertEqual(Activity.bridge(&ivs, graceDays: 5), 1)
        XCTAssertEqual(
            ivs,
            [
                Hand.iv("2024-01-01", "2024-01-20", 40, product: 1),
                Hand.iv("2024-01-01", "2024-02-04", 100, product: 0),
                Hand.iv("2024-01-10", "2024-02-04", 30, product: 2), Hand.iv("2024-02-04", nil, 100, product: 0),
            ])
        // Product 1's own gap (Jan 20 – Feb 3) is covered by the others: no gap in the union.
        var covered = [
            Hand.iv("2024-01-01", "2024-01-20", 40, product: 1), Hand.iv("2024-01-01", "2024-03-01", 100, product: 0),
            Hand.iv("2024-01-25", "2024-03-01", 40, product: 1),
        ]
        XCTAssertEqual(Activity.bridge(&covered, graceDays: 30), 0)
    }

    func testBridgingStopsAtAnOpenInterval() {
        var ivs = [
            Hand.iv("2024-01-01", nil, 100, product: 0), Hand.iv("2024-01-01", "2024-02-01", 50, product: 1),
            Hand.iv("2024-02-03", "2024-03-01", 50, product: 1),
        ]
        XCTAssertEqual(Activity.bridge(&ivs, graceDays: 7), 0, "an open interval covers every later day")
        XCTAssertEqual(ivs.first { $0.product == 1 }?.end, Hand.day("2024-02-01").raw, "sorted first, not extended")
    }

    func testSeveralGapsAreBridgedEachOnItsOwn() {
        var ivs = [
            Hand.iv("2024-01-01", "2024-02-01", 10), Hand.iv("2024-02-03", "2024-03-01", 20),
            Hand.iv("2024-03-20", "2024-04-01", 30), Hand.iv("2024-04-02", nil, 40),
        ]
        // Gaps: 2 days (bridged), 19 days (kept), 1 day (bridged).
        XCTAssertEqual(Activity.bridge(&ivs, graceDays: 7), 2)
        XCTAssertEqual(
            ivs.map(\.end), ["2024-02-03", "2024-03-01", "2024-04-02"].map { Hand.day($0).raw } + [PaidInterval.open])
    }

    func testFirstStretch() throws {
        XCTAssertNil(Activity.firstStretch([]))
        let touching = [Hand.iv("2024-01-01", "2024-02-01", 10), Hand.iv("2024-02-01", "2024-03-01", 10)]
        let a = try XCTUnwrap(Activity.firstStretch(touching))
        XCTAssertEqual(a.start, Hand.day("2024-01-01").raw)
        XCTAssertEqual(
            a.end, Hand.day("2024-03-01").raw, "an interval starting on the exclusive end continues the stretch")
        let gap = [Hand.iv("2024-01-01", "2024-02-01", 10), Hand.iv("2024-02-02", nil, 10)]
        XCTAssertEqual(Activity.firstStretch(gap)?.end, Hand.day("2024-02-01").raw)
        let nested = [
            Hand.iv("2024-01-01", "2024-03-01", 10), Hand.iv("2024-01-05", "2024-01-10", 10),
            Hand.iv("2024-02-15", nil, 10),
        ]
        XCTAssertEqual(Activity.firstStretch(nested)?.end, PaidInterval.open)
    }

    func testMRROnADaySumsTheIntervalsCoveringIt() throws {
        let ivs = [
            Hand.iv("2024-01-01", "2024-02-01", 100, product: 0), Hand.iv("2024-01-15", nil, 30, product: 1),
        ]
        XCTAssertEqual(try Activity.mrr(ivs, on: Hand.day("2023-12-31").raw), 0)
        XCTAssertEqual(try Activity.mrr(ivs, on: Hand.day("2024-01-14").raw), 100)
        XCTAssertEqual(try Activity.mrr(ivs, on: Hand.day("2024-01-31").raw), 130)
        XCTAssertEqual(try Activity.mrr(ivs, on: Hand.day("2024-02-01").raw), 30, "the end is exclusive")
    }

    /// The documented example: a renewal of core at the same MRR joins the core interval before
    /// it, past the addon interval between them; MRR on every day is the same before and after.
    func testJoinsBackToBackRenewalsOfOneProductAtOnePrice() throws {
        let before = [
            Hand.iv("2024-01-01", "2024-02-01", 100), Hand.iv("2024-01-01", "2024-02-01", 20, product: 1),
            Hand.iv("2024-02-01", "2024-03-01", 100),
        ]
        var ivs = before
        XCTAssertEqual(Activity.joinRenewals(&ivs), 1)
        XCTAssertEqual(
            ivs, [Hand.iv("2024-01-01", "2024-02-01", 20, product: 1), Hand.iv("2024-01-01", "2024-03-01", 100)])
        try assertSameMRR(before, ivs)
    }

    /// Not joined: a price change, another product, a gap of one day, an overlap. A chain joins
    /// into one interval that stays open when its last renewal is open.
    func testJoinsOnlyExactRenewalsAndWholeChains() throws {
        let apart = [
            Hand.iv("2024-01-01", "2024-02-01", 100), Hand.iv("2024-02-01", "2024-03-01", 120),
            Hand.iv("2024-03-01", "2024-04-01", 120, product: 1), Hand.iv("2024-04-02", "2024-05-01", 120, product: 1),
            Hand.iv("2024-04-15", "2024-06-01", 120, product: 1),
        ]
        var ivs = apart
        XCTAssertEqual(Activity.joinRenewals(&ivs), 0)
        XCTAssertEqual(ivs, apart)

        let chain = [
            Hand.iv("2024-01-01", "2024-02-01", 100), Hand.iv("2024-02-01", "2024-03-01", 100),
            Hand.iv("2024-03-01", "2024-04-01", 100), Hand.iv("2024-04-01", nil, 100),
        ]
        ivs = chain
        XCTAssertEqual(Activity.joinRenewals(&ivs), 3)
        XCTAssertEqual(ivs, [Hand.iv("2024-01-01", nil, 100)])
        try assertSameMRR(chain, ivs)
    }

    /// A renewal is compared with the `lookBack` intervals kept before it: with 7 others between
    /// it and the interval it renews it joins, with 8 it stays a row of its own.
    func testJoiningLooksBackAFixedNumberOfIntervals() throws {
        for others in [7, 8] {
            var ivs = [Hand.iv("2024-01-01", "2024-02-01", 100)]
            for k in 0..<others { ivs.append(Hand.iv("2024-01-01", "2024-03-01", 10, product: Int32(k + 1))) }
            ivs.append(Hand.iv("2024-02-01", "2024-03-01", 100))
            ivs.sort(by: Activity.order)
            let before = ivs
            XCTAssertEqual(Activity.joinRenewals(&ivs, lookBack: 8), others == 7 ? 1 : 0, "\(others) between")
            try assertSameMRR(before.filter { $0.product == 0 }, ivs.filter { $0.product == 0 })
        }
    }

    /// Random sorted interval sets: joining never changes the MRR of any product on any day, and
    /// leaves the intervals in the order they are written in.
    func testJoiningKeepsEveryDaysMRRByProduct() throws {
        var rng = SplitMix64(seed: 41)
        var total = 0
        for _ in 0..<300 {
            var ivs: [PaidInterval] = []
            var t = Int32.random(in: 0..<40, using: &rng)
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                let length = Int32.random(in: 1...40, using: &rng)
                let open = Int.random(in: 0..<10, using: &rng) == 0
                ivs.append(
                    PaidInterval(
                        start: t, end: open ? PaidInterval.open : t + length,
                        mrrMinor: Int64.random(in: 1...2, using: &rng) * 50,
                        product: Int32.random(in: 0...1, using: &rng)))
                t += Int32.random(in: 0...1, using: &rng) == 0 ? length : Int32.random(in: 0...5, using: &rng)
            }
            ivs.sort(by: Activity.order)
            var joined = ivs
            total += Activity.joinRenewals(&joined)
            try assertSameMRR(ivs, joined)
            XCTAssertEqual(joined, joined.sorted(by: Activity.order))
        }
        XCTAssertGreaterThan(total, 100, "the sets hold renewals to join")
    }

    /// MRR of each product on each day, up to the day after the last finite end, is the same for
    /// both sets.
    func assertSameMRR(_ a: [PaidInterval], _ b: [PaidInterval], file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let last = (a + b).map { $0.end == PaidInterval.open ? $0.start : $0.end }.max() ?? 0
        for product: Int32 in 0...1 {
            for d: Int32 in 0...(last + 1) {
                let x = try Activity.mrr(a.filter { $0.product == product }, on: d)
                let y = try Activity.mrr(b.filter { $0.product == product }, on: d)
                XCTAssertEqual(x, y, "product \(product), day \(d)", file: file, line: line)
                if x != y { return }
            }
        }
    }
}
