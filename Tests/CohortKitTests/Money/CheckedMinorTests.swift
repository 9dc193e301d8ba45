import XCTest

@testable import CohortKit

/// Overflow-checked money: the helpers, exact-rate parsing bounds, and every accumulator ending in
/// `MoneyOverflow` instead of a trap when totals leave 64 bits.
final class CheckedMinorTests: XCTestCase {
    func testHelpersThrowInsteadOfTrapping() throws {
        XCTAssertEqual(try CheckedMinor.sum(1, 2, "x"), 3)
        XCTAssertThrowsError(try CheckedMinor.sum(Int64.max, 1, "the total")) { e in
            XCTAssertEqual((e as? MoneyOverflow)?.what, "the total")
            XCTAssertEqual((e as? PipelineError)?.exitCode, 1)
            XCTAssertTrue("\(e)".contains("the total overflowed"))
        }
        XCTAssertThrowsError(try CheckedMinor.product(CheckedMinor.maxMRR * 1000, 12, "ARR"))
        XCTAssertEqual(try CheckedMinor.product(CheckedMinor.maxMRR, 12, "ARR"), 12_000_000_000_000_000)
        XCTAssertThrowsError(try CheckedMinor.difference(Int64.min, 1, "x"))
        XCTAssertThrowsError(try CheckedMinor.rounded(.infinity, "x"))
        XCTAssertThrowsError(try CheckedMinor.rounded(9.3e18, "x"))
        XCTAssertEqual(try CheckedMinor.rounded(-2.5, "x"), -3)
        var a: Int64 = Int64.max - 1
        var flag = false
        CheckedMinor.add(&a, 1, &flag)
        XCTAssertFalse(flag)
        CheckedMinor.add(&a, 1, &flag)
        XCTAssertTrue(flag)
    }

    func testRateLiteralsThatCannotBeHeldAreNil() {
        for text in [
            "1e50", "1e400", "1e-999", "1.5e-9223372036854775807", "1e9223372036854775807",
            "123456789012345678901234567890123456789",
        ] {
            let d = ExactDecimal.parseJSONNumber(text)
            XCTAssertTrue(d == nil || d!.approximateValue > 1e12 || d!.approximateValue < 1e-12, text)
        }
        XCTAssertEqual(ExactDecimal.parseJSONNumber("1e2"), ExactDecimal(mantissa: 100, scale: 0))
        XCTAssertEqual(ExactDecimal.parseJSONNumber("150.00")?.normalized, ExactDecimal(mantissa: 150, scale: 0))
        XCTAssertEqual(ExactDecimal.pow10(60), ExactDecimal.pow10(38))
    }

    func testConversionOfHugeAmountsIsNilNotATrap() throws {
        let table = CurrencyTable(
            report: "JPY", rates: ["USD": ExactDecimal(mantissa: 999_999_999_999, scale: 0)], minorUnits: ["JPY": 0])
        let amount = try XCTUnwrap(ExactDecimal.parse("999999999999999999999999999999"))
        XCTAssertNil(table.monthlyMinor(amount: amount, currency: "USD", months: 1))
    }

    private func snapshots(_ mrr: [Int64]) throws -> CustomerSnapshots {
        var s = CustomerSnapshots()
        let start = try XCTUnwrap(Day(year: 2024, month: 1, day: 1))
        try s.load(
            mrr.map { PaidInterval(start: start.raw, end: PaidInterval.open, mrrMinor: $0, product: 0) },
            lastMonth: Month(year: 2024, month: 3))
        return s
    }

    func testOneCustomersMRRPast64BitsThrows() throws {
        XCTAssertNoThrow(try snapshots([CheckedMinor.maxMRR, CheckedMinor.maxMRR]))
        XCTAssertThrowsError(try snapshots([Int64.max / 2, Int64.max / 2, Int64.max / 2])) {
            XCTAssertTrue($0 is MoneyOverflow)
        }
        let start = try XCTUnwrap(Day(year: 2024, month: 1, day: 1))
        let ivs = [
            PaidInterval(start: start.raw, end: PaidInterval.open, mrrMinor: Int64.max, product: 0),
            PaidInterval(start: start.raw, end: PaidInterval.open, mrrMinor: 1, product: 1),
        ]
        XCTAssertThrowsError(try Activity.mrr(ivs, on: start.raw)) { XCTAssertTrue($0 is MoneyOverflow) }
    }

    func testAccumulatorsThrowWhenTotalsOverflow() throws {
        let big = try snapshots([Int64.max / 2 + 1])
        let jan = Month(year: 2024, month: 1)
        let mar = Month(year: 2024, month: 3)
        let day = try XCTUnwrap(Day(year: 2024, month: 1, day: 1))
        var t = TriangleAccumulator(firstCohort: jan, lastMonth: mar, maxOffset: 2, channels: 1)
        var m = MovementsAccumulator(firstMonth: jan, lastMonth: mar, channels: 1)
        var w = WindowsAccumulator(firstMonth: jan, lastMonth: mar, channels: 1)
        t.add(cohort: jan, channel: 0, snapshots: big)
        m.add(channel: 0, firstStart: day, snapshots: big)
        w.add(channel: 0, snapshots: big)
        XCTAssertFalse(t.overflow || m.overflow || w.overflow, "one customer fits")
        // A second part of the file with the same customer: the merged totals do not fit.
        let (t2, m2, w2) = (t, m, w)
        t.merge(t2)
        m.merge(m2)
        w.merge(w2)
        XCTAssertTrue(t.overflow && m.overflow && w.overflow)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("overflow-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: out) }
        let writer = try JSONLWriter(path: out.path)
        XCTAssertThrowsError(try t.write(to: writer, channelNames: ["web"], order: [0])) {
            XCTAssertTrue($0 is MoneyOverflow)
        }
        XCTAssertThrowsError(try m.write(to: writer, channelNames: ["web"], order: [0])) {
            XCTAssertTrue($0 is MoneyOverflow)
        }
        XCTAssertThrowsError(try w.write(to: writer, channelNames: ["web"], order: [0])) {
            XCTAssertTrue($0 is MoneyOverflow)
        }
    }
}
