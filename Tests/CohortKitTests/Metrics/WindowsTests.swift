import XCTest

@testable import CohortKit

/// Retention windows on customers written out by hand (docs/metrics.md#windows).
///
/// as_of 2024-03-31, months 2023-01 … 2024-03, channels web (0) and ads (1). MRR at month ends:
///
///     W1 web  X [2023-01-01, open) 100, Z [2024-02-10, open) 30   100 through 2024-01, then 130 (cross-sell Z)
///     W2 web  Y [2023-01-15, 2023-11-01) 50                        50 through 2023-10, 0 from 2023-11
///     A1 ads  X [2023-01-20, 2023-06-01) 200 → [2023-06-01, open) 260   200 through 2023-05, then 260 (upsell)
///     A2 ads  X [2023-03-10, 2023-09-01) 80 → [2023-09-01, open) 40    0 in Jan–Feb, 80 Mar–Aug, 40 from Sep
final class WindowsTests: XCTestCase {
    struct Customer {
        var channel: Int
        var intervals: [PaidInterval]
    }

    static let x: Int32 = 0
    static let y: Int32 = 1
    static let z: Int32 = 2

    static let customers: [Customer] = [
        Customer(
            channel: 0,
            intervals: [Hand.iv("2023-01-01", nil, 100, product: x), Hand.iv("2024-02-10", nil, 30, product: z)]),
        Customer(channel: 0, intervals: [Hand.iv("2023-01-15", "2023-11-01", 50, product: y)]),
        Customer(
            channel: 1,
            intervals: [
                Hand.iv("2023-01-20", "2023-06-01", 200, product: x), Hand.iv("2023-06-01", nil, 260, product: x),
            ]),
        Customer(
            channel: 1,
            intervals: [
                Hand.iv("2023-03-10", "2023-09-01", 80, product: x), Hand.iv("2023-09-01", nil, 40, product: x),
            ]),
    ]

    func accumulator(_ customers: [Customer] = WindowsTests.customers, channelStarts: [Month]? = nil) throws
        -> WindowsAccumulator
    {
        var w = WindowsAccumulator(
            firstMonth: Hand.month("2023-01"), lastMonth: Hand.month("2024-03"), channels: 2,
            channelStarts: channelStarts)
        for c in customers {
            w.add(channel: c.channel, snapshots: try Hand.snapshots(c.intervals, asOf: "2024-03-31"))
        }
        return w
    }

    typealias Cell = WindowsAccumulator.Cell

    func cell(
        _ base: Int, _ retained: Int, _ baseMRR: Int64, _ endMRR: Int64, grr: Int64, upsell: Int = 0, cross: Int = 0
    )
        -> Cell
    {
        // Field by field: the cell's initializer is the empty one.
        var c = Cell()
        (c.base, c.retained, c.upsell, c.crossSell) = (base, retained, upsell, cross)
        (c.baseMRR, c.endMRR, c.grr) = (baseMRR, endMRR, grr)
        return c
    }

    /// Trailing twelve months: A = s(m-12).
    func testTrailingTwelveMonths() throws {
        let w = try accumulator()
        let t = WindowsAccumulator.Kind.trailing12m
        // 2023-12: A = s(2022-12), before anyone paid: an empty base.
        XCTAssertEqual(w.cell(t, month: Hand.month("2023-12"), channel: 2), Cell())
        // 2024-01: A = s(2023-01): W1 100, W2 50, A1 200 (A2 starts in March). B = s(2024-01):
        // W1 100, W2 0, A1 260. web gross min(100,100) + min(0,50) = 100; ads upsell (X 200 → 260).
        let jan = Hand.month("2024-01")
        XCTAssertEqual(w.cell(t, month: jan, channel: 0), cell(2, 1, 150, 100, grr: 100))
        XCTAssertEqual(w.cell(t, month: jan, channel: 1), cell(1, 1, 200, 260, grr: 200, upsell: 1))
        XCTAssertEqual(w.cell(t, month: jan, channel: 2), cell(3, 2, 350, 360, grr: 300, upsell: 1))
        // 2024-02: W1 now also holds Z: a cross-sell, not an upsell (X stays 100 → 100).
        let feb = Hand.month("2024-02")
        XCTAssertEqual(w.cell(t, month: feb, channel: 0), cell(2, 1, 150, 130, grr: 100, cross: 1))
        XCTAssertEqual(w.cell(t, month: feb, channel: 2), cell(3, 2, 350, 390, grr: 300, upsell: 1, cross: 1))
        // 2024-03: A = s(2023-03) has A2 at 80, at 40 by B: ads gross 200 + 40.
        let mar = Hand.month("2024-03")
        XCTAssertEqual(w.cell(t, month: mar, channel: 1), cell(2, 2, 280, 300, grr: 240, upsell: 1))
        let all = w.cell(t, month: mar, channel: 2)
        XCTAssertEqual(all, cell(4, 3, 430, 430, grr: 340, upsell: 1, cross: 1))
        XCTAssertEqual(all.nrr, 1.0)
        XCTAssertEqual(all.grrRate, 340.0 / 430.0)
        XCTAssertEqual(all.logoChurnRate, 0.25)
        XCTAssertEqual(all.upsellRate, 0.25)
        XCTAssertEqual(all.crossSellRate, 0.25)
        // Per channel: web NRR 130/150, GRR 100/150; ads NRR 300/280, GRR 240/280.
        XCTAssertEqual(w.cell(t, month: mar, channel: 0).nrr, 130.0 / 150.0)
        XCTAssertEqual(w.cell(t, month: mar, channel: 0).grrRate, 100.0 / 150.0)
        XCTAssertEqual(w.cell(t, month: mar, channel: 1).nrr, 300.0 / 280.0)
        XCTAssertEqual(w.cell(t, month: mar, channel: 1).grrRate, 240.0 / 280.0)
    }

    /// Quarters end in March, June, September and December: A = s(m-3).
    func testQuarters() throws {
        let w = try accumulator()
        let q = WindowsAccumulator.Kind.quarter
        XCTAssertEqual(w.cell(q, month: Hand.month("2023-03"), channel: 2), Cell(), "A = s(2022-12): empty")
        // 2023-06 (A = s(Mar)): all four paying; A1 200 → 260.
        XCTAssertEqual(w.cell(q, month: Hand.month("2023-06"), channel: 0), cell(2, 2, 150, 150, grr: 150))
        XCTAssertEqual(w.cell(q, month: Hand.month("2023-06"), channel: 1), cell(2, 2, 280, 340, grr: 280, upsell: 1))
        // 2023-09: A2 80 → 40, a contraction: ads NRR = GRR = 300/340.
        let sep = w.cell(q, month: Hand.month("2023-09"), channel: 1)
        XCTAssertEqual(sep, cell(2, 2, 340, 300, grr: 300))
        XCTAssertEqual(sep.nrr, 300.0 / 340.0)
        XCTAssertEqual(sep.grrRate, 300.0 / 340.0)
        // 2023-12: W2 left in November (last day Oct 31 = s(Oct)).
        let dec = w.cell(q, month: Hand.month("2023-12"), channel: 0)
        XCTAssertEqual(dec, cell(2, 1, 150, 100, grr: 100))
        XCTAssertEqual(dec.logoChurnRate, 0.5)
        // 2024-03: web base is W1 alone, 100 → 130 with Z: NRR 1.3, GRR 1.0.
        let q1 = w.cell(q, month: Hand.month("2024-03"), channel: 0)
        XCTAssertEqual(q1, cell(1, 1, 100, 130, grr: 100, cross: 1))
        XCTAssertEqual(q1.nrr, 1.3)
        XCTAssertEqual(q1.grrRate, 1.0)
        // Not a quarter end: never counted.
        XCTAssertEqual(w.cell(q, month: Hand.month("2023-08"), channel: 2), Cell())
    }

    /// Month windows: A = s(m-1).
    func testMonths() throws {
        let w = try accumulator()
        let m = WindowsAccumulator.Kind.month
        XCTAssertEqual(w.cell(m, month: Hand.month("2023-01"), channel: 2), Cell())
        // March: A2 is 0 at s(Feb), not in the base.
        XCTAssertEqual(w.cell(m, month: Hand.month("2023-03"), channel: 1), cell(1, 1, 200, 200, grr: 200))
        XCTAssertEqual(w.cell(m, month: Hand.month("2023-06"), channel: 1), cell(2, 2, 280, 340, grr: 280, upsell: 1))
        XCTAssertEqual(w.cell(m, month: Hand.month("2023-11"), channel: 0), cell(2, 1, 150, 100, grr: 100))
        XCTAssertEqual(w.cell(m, month: Hand.month("2024-02"), channel: 0), cell(1, 1, 100, 130, grr: 100, cross: 1))
    }

    /// The example in docs/metrics.md: a base paying 100 (X) and 50 (Y); at B the first pays 120
    /// on X and 30 on new Z, the second has left.
    func testDocumentedExample() throws {
        let customers = [
            Customer(
                channel: 0,
                intervals: [
                    Hand.iv("2023-01-01", "2023-02-01", 100, product: Self.x),
                    Hand.iv("2023-02-01", nil, 120, product: Self.x), Hand.iv("2023-02-01", nil, 30, product: Self.z),
                ]),
            Customer(channel: 0, intervals: [Hand.iv("2023-01-01", "2023-02-01", 50, product: Self.y)]),
        ]
        let c = try accumulator(customers).cell(.month, month: Hand.month("2023-02"), channel: 2)
        XCTAssertEqual(c.logoChurnRate, 0.5)
        XCTAssertEqual(c.nrr, 1.0)
        XCTAssertEqual(c.grrRate, 100.0 / 150.0)
        XCTAssertEqual(c.upsellRate, 0.5)
        XCTAssertEqual(c.crossSellRate, 0.5)
    }

    /// A product held before A, dropped, and held again at B counts as cross-sell.
    func testAProductHeldAgainIsACrossSell() throws {
        let back = Customer(
            channel: 0,
            intervals: [
                Hand.iv("2023-01-01", nil, 100, product: Self.x),
                Hand.iv("2023-01-01", "2023-02-15", 20, product: Self.y),
                Hand.iv("2023-04-10", nil, 20, product: Self.y),
            ])
        let w = try accumulator([back])
        XCTAssertEqual(
            w.cell(.quarter, month: Hand.month("2023-06"), channel: 0), cell(1, 1, 100, 120, grr: 100, cross: 1))
        XCTAssertEqual(
            w.cell(.month, month: Hand.month("2023-04"), channel: 0), cell(1, 1, 100, 120, grr: 100, cross: 1))
    }

    /// Rows: every kind, month and channel (quarters at quarter ends only), with A and B as dates
    /// and null ratios on an empty base.
    /// A channel's windows start at its first customer's first paying month (web's customers from
    /// 2023-01, an ads customer from 2023-07): the rows before are the empty ones a full grid
    /// writes, and every window from then on is the same, merged from parts or not.
    func testAChannelsWindowsStartAtItsFirstCustomersMonth() throws {
        let starts = [Hand.month("2023-01"), Hand.month("2023-07")]
        let customers =
            Array(Self.customers.filter { $0.channel == 0 })
            + [Customer(channel: 1, intervals: [Hand.iv("2023-07-10", "2024-01-01", 500, product: Self.x)])]
        let full = try accumulator(customers)
        let trimmed = try accumulator(customers, channelStarts: starts)
        let write = { (w: WindowsAccumulator) in
            try Hand.rows { try w.write(to: $0, channelNames: ["web", "ads"], order: [1, 0]) }
        }
        let all = try write(full)
        let kept = try write(trimmed)
        let key = { (r: [String: Any]) in
            "\(r.string("kind") ?? "") \(r.string("month") ?? "") \(r.string("channel") ?? "")"
        }
        let keptKeys = Set(kept.map(key))
        XCTAssertEqual(kept.map(key), all.map(key).filter(keptKeys.contains), "same order")
        // ads loses the months 2023-01 … 2023-06: 6 month and 6 trailing-12m windows, 2 quarters.
        XCTAssertEqual(all.count - kept.count, 6 + 6 + 2)
        for r in all where !keptKeys.contains(key(r)) {
            XCTAssertEqual(r.string("channel"), "ads")
            XCTAssertEqual(r.int("base_customers"), 0, key(r))
            XCTAssertEqual(r.int("end_mrr_minor"), 0, key(r))
        }
        for r in kept {
            let twin = try XCTUnwrap(all.first { key($0) == key(r) })
            XCTAssertEqual(r.int("base_customers"), twin.int("base_customers"), key(r))
            XCTAssertEqual(r.int("end_mrr_minor"), twin.int("end_mrr_minor"), key(r))
            XCTAssertEqual(r.int("retained_customers"), twin.int("retained_customers"), key(r))
        }
        var merged = try accumulator(Array(customers.prefix(1)), channelStarts: starts)
        merged.merge(try accumulator(Array(customers.dropFirst(1)), channelStarts: starts))
        XCTAssertEqual(merged.cells, trimmed.cells)
    }

    func testWrittenRows() throws {
        let w = try accumulator()
        let rows = try Hand.rows { try w.write(to: $0, channelNames: ["web", "ads"], order: [1, 0]) }
        func count(_ kind: String) -> Int { rows.filter { $0.string("kind") == kind }.count }
        XCTAssertEqual(count("month"), 15 * 3)
        XCTAssertEqual(count("quarter"), 5 * 3)
        XCTAssertEqual(count("trailing_12m"), 15 * 3)
        XCTAssertEqual(rows.count, 105)
        let t12 = Output.row(rows, ["kind": "trailing_12m", "month": "2024-03", "channel": "ads"])
        XCTAssertEqual(t12.string("from"), "2023-03-31")
        XCTAssertEqual(t12.string("to"), "2024-03-31")
        XCTAssertEqual(t12.int("base_customers"), 2)
        XCTAssertEqual(t12.int("retained_customers"), 2)
        XCTAssertEqual(t12.int("base_mrr_minor"), 280)
        XCTAssertEqual(t12.int("end_mrr_minor"), 300)
        XCTAssertEqual(t12.double("nrr"), 300.0 / 280.0)
        XCTAssertEqual(t12.double("grr"), 240.0 / 280.0)
        XCTAssertEqual(t12.double("logo_churn_rate"), 0.0)
        XCTAssertEqual(t12.double("upsell_rate"), 0.5)
        let quarter = Output.row(rows, ["kind": "quarter", "month": "2023-12", "channel": "web"])
        XCTAssertEqual(quarter.string("from"), "2023-09-30")
        XCTAssertEqual(quarter.double("logo_churn_rate"), 0.5)
        let empty = Output.row(rows, ["kind": "trailing_12m", "month": "2023-06", "channel": "(all)"])
        XCTAssertEqual(empty.string("from"), "2022-06-30")
        XCTAssertEqual(empty.int("base_customers"), 0)
        for k in ["logo_churn_rate", "nrr", "grr", "upsell_rate", "cross_sell_rate"] {
            XCTAssertTrue(empty.isNull(k), k)
        }
        XCTAssertEqual(rows.first?.string("channel"), "(all)")
        XCTAssertEqual(rows.dropFirst().first?.string("channel"), "ads")
    }

    func testMergedPartsAreTheWhole() throws {
        let whole = try accumulator()
        var merged = try accumulator([Self.customers[1], Self.customers[3]])
        merged.merge(try accumulator([Self.customers[0], Self.customers[2]]))
        XCTAssertEqual(merged.cells, whole.cells)
    }
}
