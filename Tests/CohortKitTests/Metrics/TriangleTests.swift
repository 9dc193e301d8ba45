import XCTest

@testable import CohortKit

/// The retention triangle on customers written out by hand (docs/metrics.md#retention-triangle).
///
/// as_of 2024-04-30 (last complete month 2024-04), max offset 3, channels web (0) and ads (1):
///
///     A web  cohort 01  [01-05, open) 100                 100 100 100 100 at s(Jan..Apr)
///     B web  cohort 01  [01-10, 02-01) 50, [03-10, open) 80
///                                                         50 0 80 80: ends on the 1st, so counts at s(Jan); back in March
///     C ads  cohort 01  [01-20, open) 200, addon [02-15, open) 100   200 300 300 300
///     D ads  cohort 02  [02-01, 03-31) 60                 60 0 0: last day Mar 30, so gone at s(Mar)
///     E web  cohort 03  [03-15, 03-25) 40                 0 0: a member that never shows at a month end
final class TriangleTests: XCTestCase {
    struct Customer {
        var cohort: String
        var channel: Int
        var intervals: [PaidInterval]
    }

    static let customers: [Customer] = [
        Customer(cohort: "2024-01", channel: 0, intervals: [Hand.iv("2024-01-05", nil, 100)]),
        Customer(
            cohort: "2024-01", channel: 0,
            intervals: [Hand.iv("2024-01-10", "2024-02-01", 50), Hand.iv("2024-03-10", nil, 80)]),
        Customer(
            cohort: "2024-01", channel: 1,
            intervals: [Hand.iv("2024-01-20", nil, 200), Hand.iv("2024-02-15", nil, 100, product: 1)]),
        Customer(cohort: "2024-02", channel: 1, intervals: [Hand.iv("2024-02-01", "2024-03-31", 60)]),
        Customer(cohort: "2024-03", channel: 0, intervals: [Hand.iv("2024-03-15", "2024-03-25", 40)]),
    ]

    func accumulator(
        _ customers: [Customer] = TriangleTests.customers, pooled: [Bool]? = nil
    ) throws -> TriangleAccumulator {
        var t = TriangleAccumulator(
            firstCohort: Hand.month("2024-01"), lastMonth: Hand.month("2024-04"), maxOffset: 3, channels: 2,
            pooled: pooled)
        for c in customers {
            t.add(
                cohort: Hand.month(c.cohort), channel: c.channel,
                snapshots: try Hand.snapshots(c.intervals, asOf: "2024-04-30"))
        }
        return t
    }

    /// One expected row: counts and the numerator of the gross revenue retention.
    struct Row: Equatable, CustomStringConvertible {
        var cohort: String, channel: String, offset: Int, month: String?
        var customers: Int, active: Int, mrrStart: Int, mrr: Int, grr: Int
        var description: String {
            "\(cohort) \(channel) +\(offset) \(month ?? "-"): \(active)/\(customers) \(mrr)/\(mrrStart) grr \(grr)"
        }
    }

    /// Reads rows back, checking each ratio against its own counts on the way.
    func read(_ t: TriangleAccumulator, names: [String] = ["web", "ads"], order: [Int] = [1, 0]) throws -> [Row] {
        try Hand.rows { try t.write(to: $0, channelNames: names, order: order) }.map { r in
            let customers = r.int("customers") ?? -1
            let active = r.int("active") ?? -1
            let start = r.int("mrr_start_minor") ?? -1
            let mrr = r.int("mrr_minor") ?? -1
            XCTAssertEqual(r.double("logo_retention"), Double(active) / Double(customers), "\(r)")
            if start == 0 {
                XCTAssertTrue(r.isNull("revenue_retention") && r.isNull("gross_revenue_retention"), "\(r)")
            } else {
                XCTAssertEqual(r.double("revenue_retention"), Double(mrr) / Double(start), "\(r)")
            }
            // The numerator of the gross retention, back from the ratio (exact for these small sums).
            let grr = start == 0 ? 0 : Int(((r.double("gross_revenue_retention") ?? -1) * Double(start)).rounded())
            return Row(
                cohort: r.string("cohort") ?? "?", channel: r.string("channel") ?? "?", offset: r.int("offset") ?? -1,
                month: r.string("month"), customers: customers, active: active, mrrStart: start, mrr: mrr, grr: grr)
        }
    }

    func testHandWorkedCellsAndWeightedRows() throws {
        let rows = try read(try accumulator())
        func row(_ c: String, _ g: String, _ k: Int, _ m: String?, _ n: Int, _ a: Int, _ s: Int, _ v: Int, _ grr: Int)
            -> Row
        { Row(cohort: c, channel: g, offset: k, month: m, customers: n, active: a, mrrStart: s, mrr: v, grr: grr) }
        let expected: [Row] = [
            // (all), cohort 2024-01 = A, B, C. s(Jan): 100 + 50 + 200 = 350.
            row("2024-01", "(all)", 0, "2024-01", 3, 3, 350, 350, 350),
            // s(Feb): A 100, B 0, C 300 = 400; gross min(100,100) + min(0,50) + min(300,200) = 300.
            row("2024-01", "(all)", 1, "2024-02", 3, 2, 350, 400, 300),
            // s(Mar): A 100, B 80 (reactivated: active again), C 300 = 480; gross 100 + 50 + 200 = 350.
            row("2024-01", "(all)", 2, "2024-03", 3, 3, 350, 480, 350),
            row("2024-01", "(all)", 3, "2024-04", 3, 3, 350, 480, 350),
            // Cohort 2024-02 = D: offset 3 would be s(2024-05), after as_of: absent, not zero.
            row("2024-02", "(all)", 0, "2024-02", 1, 1, 60, 60, 60),
            row("2024-02", "(all)", 1, "2024-03", 1, 0, 60, 0, 0),
            row("2024-02", "(all)", 2, "2024-04", 1, 0, 60, 0, 0),
            // Cohort 2024-03 = E, a member at 0 from the start: revenue ratios null.
            row("2024-03", "(all)", 0, "2024-03", 1, 0, 0, 0, 0),
            row("2024-03", "(all)", 1, "2024-04", 1, 0, 0, 0, 0),
            // No customer in cohort 2024-04: no rows. Weighted: complete cells only.
            // +0: 3 + 1 + 1 customers, 3 + 1 + 0 active, 350 + 60 + 0.
            row("(weighted)", "(all)", 0, nil, 5, 4, 410, 410, 410),
            row("(weighted)", "(all)", 1, nil, 5, 2, 410, 400, 300),
            // +2: cohorts 01 and 02 only (03 has no cell there).
            row("(weighted)", "(all)", 2, nil, 4, 3, 410, 480, 350),
            // +3: cohort 01 alone.
            row("(weighted)", "(all)", 3, nil, 3, 3, 350, 480, 350),
            // ads (order puts it first): C in 01, D in 02.
            row("2024-01", "ads", 0, "2024-01", 1, 1, 200, 200, 200),
            row("2024-01", "ads", 1, "2024-02", 1, 1, 200, 300, 200),
            row("2024-01", "ads", 2, "2024-03", 1, 1, 200, 300, 200),
            row("2024-01", "ads", 3, "2024-04", 1, 1, 200, 300, 200),
            row("2024-02", "ads", 0, "2024-02", 1, 1, 60, 60, 60),
            row("2024-02", "ads", 1, "2024-03", 1, 0, 60, 0, 0),
            row("2024-02", "ads", 2, "2024-04", 1, 0, 60, 0, 0),
            row("(weighted)", "ads", 0, nil, 2, 2, 260, 260, 260),
            row("(weighted)", "ads", 1, nil, 2, 1, 260, 300, 200),
            row("(weighted)", "ads", 2, nil, 2, 1, 260, 300, 200),
            row("(weighted)", "ads", 3, nil, 1, 1, 200, 300, 200),
            // web: A and B in 01 (100 + 50), E in 03.
            row("2024-01", "web", 0, "2024-01", 2, 2, 150, 150, 150),
            row("2024-01", "web", 1, "2024-02", 2, 1, 150, 100, 100),
            row("2024-01", "web", 2, "2024-03", 2, 2, 150, 180, 150),
            row("2024-01", "web", 3, "2024-04", 2, 2, 150, 180, 150),
            row("2024-03", "web", 0, "2024-03", 1, 0, 0, 0, 0),
            row("2024-03", "web", 1, "2024-04", 1, 0, 0, 0, 0),
            row("(weighted)", "web", 0, nil, 3, 2, 150, 150, 150),
            row("(weighted)", "web", 1, nil, 3, 1, 150, 100, 100),
            row("(weighted)", "web", 2, nil, 2, 2, 150, 180, 150),
            row("(weighted)", "web", 3, nil, 2, 2, 150, 180, 150),
        ]
        XCTAssertEqual(rows.count, expected.count)
        for (got, want) in zip(rows, expected) { XCTAssertEqual(got, want) }
    }

    /// A cohort with no MRR at its start (F: paying 03-15 to 03-25, not at s(Mar), back on 04-05 at
    /// 70) has a null revenue retention; the weighted row pools its customer but not its later
    /// MRR, which would lift the ratio with no base under it (410 → 400 at +1, not 470).
    func testACohortWithoutStartingMRRAddsNoRevenueToTheWeightedRow() throws {
        var customers = TriangleTests.customers
        customers.append(
            Customer(
                cohort: "2024-03", channel: 0,
                intervals: [Hand.iv("2024-03-15", "2024-03-25", 40), Hand.iv("2024-04-05", nil, 70)]))
        let rows = try read(try accumulator(customers)).filter { $0.channel == "(all)" }
        let cell = try XCTUnwrap(rows.first { $0.cohort == "2024-03" && $0.offset == 1 })
        XCTAssertEqual(
            [cell.customers, cell.active, cell.mrrStart, cell.mrr], [2, 1, 0, 70], "the cell keeps its MRR")
        let weighted = try XCTUnwrap(rows.first { $0.cohort == "(weighted)" && $0.offset == 1 })
        XCTAssertEqual(
            [weighted.customers, weighted.active, weighted.mrrStart, weighted.mrr, weighted.grr], [6, 3, 410, 400, 300])
    }
    /// The example in docs/metrics.md: a cohort paying 100 and 50; at s(c+1) the first pays 150,
    /// the second has left: logo 0.5, revenue 1.0, gross 100/150.
    func testDocumentedExample() throws {
        let customers = [
            Customer(
                cohort: "2024-01", channel: 0,
                intervals: [Hand.iv("2024-01-01", "2024-02-01", 100), Hand.iv("2024-02-01", nil, 150)]),
            Customer(cohort: "2024-01", channel: 0, intervals: [Hand.iv("2024-01-01", "2024-02-10", 50)]),
        ]
        let rows = try Hand.rows {
            try accumulator(customers).write(to: $0, channelNames: ["web", "ads"], order: [0, 1])
        }
        let cell = Output.row(rows, ["cohort": "2024-01", "channel": "(all)", "offset": "1"])
        XCTAssertEqual(cell.double("logo_retention"), 0.5)
        XCTAssertEqual(cell.double("revenue_retention"), 1.0)
        XCTAssertEqual(cell.double("gross_revenue_retention"), 100.0 / 150.0)
        XCTAssertEqual(
            rows.filter { $0.string("channel") == "ads" }.count, 0, "a channel without customers has no rows")
    }

    /// Pooled channels count again under `(other)`, written last; a pooled channel keeps its own rows.
    func testPooledChannelsAlsoCountUnderOther() throws {
        let rows = try read(try accumulator(pooled: [false, true]))
        let ads = rows.filter { $0.channel == "ads" }
        var other = rows.filter { $0.channel == "(other)" }
        XCTAssertEqual(other.count, ads.count)
        for i in other.indices { other[i].channel = "ads" }
        XCTAssertEqual(other, ads)
        XCTAssertEqual(rows.last?.channel, "(other)")
        XCTAssertEqual(
            rows.filter { $0.channel == "(all)" }, try read(try accumulator()).filter { $0.channel == "(all)" })
    }

    /// The file cut into parts, each counted on its own and merged, writes the same bytes.
    func testMergedPartsWriteTheSameBytes() throws {
        let whole = try accumulator()
        var merged = try accumulator(Array(Self.customers[3...]))
        merged.merge(try accumulator(Array(Self.customers[..<3])))
        let write = { (t: TriangleAccumulator) in
            try Hand.bytes { try t.write(to: $0, channelNames: ["web", "ads"], order: [1, 0]) }
        }
        XCTAssertEqual(try write(merged), try write(whole))
        XCTAssertFalse(try write(whole).isEmpty)
    }

    /// A cohort before `firstCohort` or after `lastMonth` is not counted.
    func testCohortsOutsideTheRangeAreIgnored() throws {
        var t = try accumulator()
        let before = try read(t)
        let s = try Hand.snapshots([Hand.iv("2024-01-05", nil, 100)], asOf: "2024-04-30")
        t.add(cohort: Hand.month("2023-12"), channel: 0, snapshots: s)
        t.add(cohort: Hand.month("2024-05"), channel: 0, snapshots: s)
        XCTAssertEqual(try read(t), before)
    }
}
