import XCTest

@testable import CohortKit

/// MRR movements on customers written out by hand (docs/metrics.md#mrr-movements).
///
/// as_of 2024-06-30, grace 7 days, months 2024-01 … 2024-06, channels web (0) and ads (1).
///
///     P web  [01-10, 01-20) 30, [03-05, open) 5000
///     Q web  [03-05, open) 5000
///     U web  [01-15, 05-29) 900, [06-03, open) 900
///     V web  [01-05, 02-10) 300, [05-20, open) 350
///     R ads  core [01-01, 04-01) 1000, then [04-01, open) 1500; addon [01-01, 04-01) 400
///     S ads  [01-01, 04-01) 2000, then [04-01, open) 1200
///     T ads  [02-01, 05-01) 700
///
/// MRR at s(Jan) … s(Jun), and why each is here:
///
///     P  0    0    5000 5000 5000 5000   paid in January between two month ends: reactivation in March
///     Q  0    0    5000 5000 5000 5000   first payment in March: new in March
///     U  900  900  900  900  900  900    the 5-day gap over s(May) is bridged (grace 7): no churn
///     V  300  0    0    0    350  350    churn in February, back after a gap in May
///     R  1400 1400 1400 1500 1500 1500   +500 and -400 on two products: net expansion 100
///     S  2000 2000 2000 1200 1200 1200   contraction 800 in April, the month R expands
///     T  0    700  700  700  0    0      last day Apr 30 = s(Apr): the churn shows in May
final class MovementsTests: XCTestCase {
    struct Customer {
        var channel: Int
        var intervals: [PaidInterval]
    }

    static let customers: [Customer] = [
        Customer(channel: 0, intervals: [Hand.iv("2024-01-10", "2024-01-20", 30), Hand.iv("2024-03-05", nil, 5000)]),
        Customer(channel: 0, intervals: [Hand.iv("2024-03-05", nil, 5000)]),
        Customer(channel: 0, intervals: [Hand.iv("2024-01-15", "2024-05-29", 900), Hand.iv("2024-06-03", nil, 900)]),
        Customer(channel: 0, intervals: [Hand.iv("2024-01-05", "2024-02-10", 300), Hand.iv("2024-05-20", nil, 350)]),
        Customer(
            channel: 1,
            intervals: [
                Hand.iv("2024-01-01", "2024-04-01", 1000), Hand.iv("2024-04-01", nil, 1500),
                Hand.iv("2024-01-01", "2024-04-01", 400, product: 1),
            ]),
        Customer(channel: 1, intervals: [Hand.iv("2024-01-01", "2024-04-01", 2000), Hand.iv("2024-04-01", nil, 1200)]),
        Customer(channel: 1, intervals: [Hand.iv("2024-02-01", "2024-05-01", 700)]),
    ]

    func accumulator(
        _ customers: [Customer] = MovementsTests.customers, grace: Int = 7, channelStarts: [Month]? = nil
    ) throws -> MovementsAccumulator {
        var m = MovementsAccumulator(
            firstMonth: Hand.month("2024-01"), lastMonth: Hand.month("2024-06"), channels: 2,
            channelStarts: channelStarts)
        for c in customers {
            let firstStart = Day(raw: c.intervals.map(\.start).min() ?? 0)
            m.add(
                channel: c.channel, firstStart: firstStart,
                snapshots: try Hand.snapshots(c.intervals, asOf: "2024-06-30", grace: grace))
        }
        return m
    }

    /// A row written out: start, new, reactivation, expansion, contraction, churn, end, then
    /// customers at start and end, new, reactivated and churned customers.
    func row(
        _ start: Int64, new: Int64 = 0, react: Int64 = 0, exp: Int64 = 0, contr: Int64 = 0, churn: Int64 = 0,
        _ end: Int64, customers cs: Int, _ ce: Int, newN: Int = 0, reactN: Int = 0, churnN: Int = 0
    ) -> MovementsAccumulator.Row {
        // Field by field: the row's initializer is the empty one.
        var r = MovementsAccumulator.Row()
        (r.start, r.new, r.reactivation, r.expansion, r.contraction, r.churn, r.end) = (
            start, new, react, exp, contr, churn, end
        )
        (r.customersStart, r.customersEnd, r.newCustomers, r.reactivatedCustomers, r.churnedCustomers) = (
            cs, ce, newN, reactN, churnN
        )
        return r
    }

    func testHandWorkedMonthsPerChannel() throws {
        let m = try accumulator()
        let months = (1...6).map { Hand.month("2024-0\($0)") }
        let web: [MovementsAccumulator.Row] = [
            // Jan: U and V start (new 900 + 300); P's January stretch is between two month ends.
            row(0, new: 1200, 1200, customers: 0, 2, newN: 2),
            // Feb: V 300 → 0.
            row(1200, churn: 300, 900, customers: 2, 1, churnN: 1),
            // Mar: Q new 5000; P paid in January, so 5000 is a reactivation.
            row(900, new: 5000, react: 5000, 10900, customers: 1, 3, newN: 1, reactN: 1),
            row(10900, 10900, customers: 3, 3),
            // May: V returns at 350; U's gap (May 29 – Jun 2) is bridged, so s(May) still sees 900.
            row(10900, react: 350, 11250, customers: 3, 4, reactN: 1),
            row(11250, 11250, customers: 4, 4),
        ]
        let ads: [MovementsAccumulator.Row] = [
            row(0, new: 3400, 3400, customers: 0, 2, newN: 2),
            // Feb: T starts on the 1st.
            row(3400, new: 700, 4100, customers: 2, 3, newN: 1),
            row(4100, 4100, customers: 3, 3),
            // Apr: R 1400 → 1500 (+100 net, not +500), S 2000 → 1200 (−800).
            row(4100, exp: 100, contr: 800, 3400, customers: 3, 3),
            // May: T's last day is Apr 30, so it counted at s(Apr) and churns in May.
            row(3400, churn: 700, 2700, customers: 3, 2, churnN: 1),
            row(2700, 2700, customers: 2, 2),
        ]
        let all: [MovementsAccumulator.Row] = [
            row(0, new: 4600, 4600, customers: 0, 4, newN: 4),
            row(4600, new: 700, churn: 300, 5000, customers: 4, 4, newN: 1, churnN: 1),
            row(5000, new: 5000, react: 5000, 15000, customers: 4, 6, newN: 1, reactN: 1),
            row(15000, exp: 100, contr: 800, 14300, customers: 6, 6),
            row(14300, react: 350, churn: 700, 13950, customers: 6, 6, reactN: 1, churnN: 1),
            row(13950, 13950, customers: 6, 6),
        ]
        for (i, month) in months.enumerated() {
            XCTAssertEqual(m.row(month: month, channel: 0), web[i], "web \(month)")
            XCTAssertEqual(m.row(month: month, channel: 1), ads[i], "ads \(month)")
            XCTAssertEqual(m.row(month: month, channel: 2), all[i], "(all) \(month)")
            let r = all[i]
            XCTAssertEqual(r.start + r.new + r.reactivation + r.expansion - r.contraction - r.churn, r.end, "\(month)")
        }
    }

    /// Without the grace period U's gap covers s(May): a churn in May, a reactivation in June.
    func testAGapOverAMonthEndIsAChurnAndAReactivationWithoutGrace() throws {
        let u = [Self.customers[2]]
        let bridged = try accumulator(u, grace: 7)
        XCTAssertEqual(bridged.row(month: Hand.month("2024-05"), channel: 2), row(900, 900, customers: 1, 1))
        XCTAssertEqual(bridged.row(month: Hand.month("2024-06"), channel: 2), row(900, 900, customers: 1, 1))
        let open = try accumulator(u, grace: 3)
        XCTAssertEqual(
            open.row(month: Hand.month("2024-05"), channel: 2), row(900, churn: 900, 0, customers: 1, 0, churnN: 1))
        XCTAssertEqual(
            open.row(month: Hand.month("2024-06"), channel: 2), row(0, react: 900, 900, customers: 0, 1, reactN: 1))
    }

    /// Rows are written for every month and channel, zero rows included, `(all)` first.
    func testWrittenRows() throws {
        let m = try accumulator()
        let rows = try Hand.rows { try m.write(to: $0, channelNames: ["web", "ads"], order: [1, 0]) }
        XCTAssertEqual(rows.count, 6 * 3)
        XCTAssertEqual(rows.prefix(3).compactMap { $0.string("channel") }, ["(all)", "ads", "web"])
        XCTAssertEqual(rows.prefix(3).compactMap { $0.string("month") }, ["2024-01", "2024-01", "2024-01"])
        let april = Output.row(rows, ["month": "2024-04", "channel": "ads"])
        XCTAssertEqual(april.int("mrr_start_minor"), 4100)
        XCTAssertEqual(april.int("expansion_minor"), 100)
        XCTAssertEqual(april.int("contraction_minor"), 800)
        XCTAssertEqual(april.int("mrr_end_minor"), 3400)
        let may = Output.row(rows, ["month": "2024-05", "channel": "(all)"])
        XCTAssertEqual(may.int("reactivation_minor"), 350)
        XCTAssertEqual(may.int("reactivated_customers"), 1)
        XCTAssertEqual(may.int("churn_minor"), 700)
        XCTAssertEqual(may.int("churned_customers"), 1)
        XCTAssertEqual(may.int("customers_end"), 6)
        let june = Output.row(rows, ["month": "2024-06", "channel": "web"])
        XCTAssertEqual(june.int("new_minor"), 0, "a month without movements still has its row")
    }

    /// A channel's rows start at its first customer's first paying month: the rows before it
    /// are the empty ones a full grid would write, and every row after it is the same.
    func testAChannelsRowsStartAtItsFirstCustomersMonth() throws {
        let late = [Self.customers[1], Self.customers[6]]  // Q web from March, T ads from February
        let full = try accumulator(late)
        let trimmed = try accumulator(late, channelStarts: [Hand.month("2024-03"), Hand.month("2024-02")])
        let write = { (m: MovementsAccumulator) in
            try Hand.rows { try m.write(to: $0, channelNames: ["web", "ads"], order: [1, 0]) }
        }
        let all = try write(full)
        let kept = try write(trimmed)
        XCTAssertEqual(kept.count, 6 + 5 + 4, "(all) every month, ads from February, web from March")
        let key = { (r: [String: Any]) in "\(r.string("month") ?? "") \(r.string("channel") ?? "")" }
        let keptKeys = Set(kept.map(key))
        XCTAssertEqual(kept.map(key), all.map(key).filter(keptKeys.contains), "same order")
        for r in all where !keptKeys.contains(key(r)) {
            XCTAssertTrue(["web", "ads"].contains(r.string("channel")))
            XCTAssertEqual(r.int("mrr_end_minor"), 0, key(r))
            XCTAssertEqual(r.int("mrr_start_minor"), 0, key(r))
            XCTAssertEqual(r.int("new_minor"), 0, key(r))
        }
        for m in ["2024-03", "2024-04", "2024-05", "2024-06"] {
            for g in 0...2 {
                XCTAssertEqual(
                    trimmed.row(month: Hand.month(m), channel: g), full.row(month: Hand.month(m), channel: g))
            }
        }
        // Merging parts keeps the trimmed shape.
        var merged = try accumulator([late[0]], channelStarts: [Hand.month("2024-03"), Hand.month("2024-02")])
        merged.merge(try accumulator([late[1]], channelStarts: [Hand.month("2024-03"), Hand.month("2024-02")]))
        XCTAssertEqual(merged.rows, trimmed.rows)
    }

    func testMergedPartsWriteTheSameBytes() throws {
        let whole = try accumulator()
        var merged = try accumulator(Array(Self.customers[4...]))
        merged.merge(try accumulator(Array(Self.customers[..<4])))
        XCTAssertEqual(merged.rows, whole.rows)
        let write = { (m: MovementsAccumulator) in
            try Hand.bytes { try m.write(to: $0, channelNames: ["web", "ads"], order: [1, 0]) }
        }
        XCTAssertEqual(try write(merged), try write(whole))
    }

    /// docs/metrics.md: a customer paying [01-10, 01-20) and again from 03-05 at 5,000 is a
    /// reactivation in March; one whose first payment is 03-05 is new.
    func testNewAgainstReactivationOfTheDocumentedExample() throws {
        let m = try accumulator(Array(Self.customers[..<2]))
        let march = m.row(month: Hand.month("2024-03"), channel: 0)
        XCTAssertEqual(march.reactivation, 5000)
        XCTAssertEqual(march.new, 5000)
        XCTAssertEqual(march.newCustomers, 1)
        XCTAssertEqual(march.reactivatedCustomers, 1)
        XCTAssertEqual(m.row(month: Hand.month("2024-01"), channel: 0), row(0, 0, customers: 0, 0))
    }
}
