import XCTest

@testable import CohortKit

final class ActivationTests: XCTestCase {
    /// First start on day 100, a 30-day window [100, 130), as_of day 1000: day 99 and day 130 are
    /// outside; 129 then 110 are inside, the earliest (110) is kept. A customer who never
    /// converted cannot activate; an event after as_of does not count.
    func testEventScanByHand() {
        var s = Activation.EventScan(customers: 3)
        s.add(customer: 0, day: 99, start: 100, days: 30, asOf: 1000)
        s.add(customer: 0, day: 130, start: 100, days: 30, asOf: 1000)
        XCTAssertEqual(s.firstUse[0], Int32.max)
        s.add(customer: 0, day: 129, start: 100, days: 30, asOf: 1000)
        s.add(customer: 0, day: 110, start: 100, days: 30, asOf: 1000)
        XCTAssertEqual(s.firstUse[0], 110)
        s.add(customer: 1, day: 110, start: Int32.min, days: 30, asOf: 1000)
        s.add(customer: 2, day: 110, start: 100, days: 30, asOf: 105)
        XCTAssertEqual(s.activated, [true, false, false])
        XCTAssertTrue(s.any)
        // Adoption months: day 99 none, 129 and 110 month 0, 130 month 1.
        XCTAssertEqual(s.adoptionBits[0], 0b11)
    }

    func testMergedTakesTheEarliestUseAndTheUnionOfMonths() throws {
        var a = Activation.EventScan(customers: 2)
        a.add(customer: 0, day: 120, start: 100, days: 30, asOf: 1000)
        var b = Activation.EventScan(customers: 2)
        b.add(customer: 0, day: 105, start: 100, days: 30, asOf: 1000)
        b.add(customer: 0, day: 140, start: 100, days: 30, asOf: 1000)
        let m = try XCTUnwrap(Activation.EventScan.merged([a, b]))
        XCTAssertEqual(m.firstUse, [105, Int32.max])
        XCTAssertEqual(m.adoptionBits, [0b11, 0])
        XCTAssertFalse(Activation.EventScan.merged([Activation.EventScan(customers: 2)])?.any ?? true)
        XCTAssertNil(Activation.EventScan.merged([]))
    }

    /// As of 2024-12-31 with 30 days, windows closed for first starts up to 2024-12-02. Customers:
    /// web 2024-01-10 activated, ads 2024-01-20 not, web 2024-12-15 (window open), one never
    /// converted. (all)/(all): 2 customers, 1 activated (0.5), 1 window open; 2024-01: (all) 2/1,
    /// ads 1/0 (0.0), web 1/1 (1.0); 2024-12: (all) and web 0 customers (no rate), 1 window open.
    func testRowsByHand() throws {
        let t = try CustomerTable.make([
            TestCustomer(id: "a", channel: "web", firstStart: "2024-01-10"),
            TestCustomer(id: "b", channel: "ads", firstStart: "2024-01-20"),
            TestCustomer(id: "c", channel: "web", firstStart: "2024-12-15"),
            TestCustomer(id: "d", channel: "web", firstStart: nil),
        ])
        let asOf = try XCTUnwrap(Day(iso: "2024-12-31"))
        let windowEnd = Activation.windowEnd(asOf: asOf, days: 30)
        XCTAssertEqual(windowEnd, try XCTUnwrap(Day(iso: "2024-12-02")).raw)
        let rows = Activation.rows(table: t, activated: [true, false, true, true], windowEnd: windowEnd)
        let jan = Month(year: 2024, month: 1)
        let dec = Month(year: 2024, month: 12)
        XCTAssertEqual(
            rows,
            [
                ActivationRecord(
                    cohort: nil, channel: "(all)", customers: 2, activated: 1, activationRate: 0.5, windowOpen: 1),
                ActivationRecord(
                    cohort: jan, channel: "(all)", customers: 2, activated: 1, activationRate: 0.5, windowOpen: 0),
                ActivationRecord(
                    cohort: jan, channel: "ads", customers: 1, activated: 0, activationRate: 0, windowOpen: 0),
                ActivationRecord(
                    cohort: jan, channel: "web", customers: 1, activated: 1, activationRate: 1, windowOpen: 0),
                ActivationRecord(
                    cohort: dec, channel: "(all)", customers: 0, activated: 0, activationRate: nil, windowOpen: 1),
                ActivationRecord(
                    cohort: dec, channel: "web", customers: 0, activated: 0, activationRate: nil, windowOpen: 1),
            ])
    }

    /// Channels are ordered by the bytes of their names, as in phases.jsonl and every other
    /// output: "e" + U+0301 + "x" (bytes 65 ...) before U+00E9 + "a" (bytes C3 A9 ...), where a
    /// comparison of canonically equivalent text would put "éa" first. (ingest composes labels,
    /// so the stages see the composed form; the order must not depend on it.)
    func testChannelsAreOrderedByTheBytesOfTheirNames() throws {
        let names = ["\u{E9}a", "e\u{301}x"]
        let t = try CustomerTable.make(
            names.enumerated().map { TestCustomer(id: "c\($0.offset)", channel: $0.element, firstStart: "2024-01-10") })
        let windowEnd = Activation.windowEnd(asOf: try XCTUnwrap(Day(iso: "2024-12-31")), days: 30)
        let rows = Activation.rows(table: t, activated: [true, false], windowEnd: windowEnd)
        XCTAssertEqual(rows.map(\.channel), ["(all)", "(all)", "e\u{301}x", "\u{E9}a"])
        XCTAssertEqual(rows.map(\.activated), [1, 1, 0, 1], "each channel keeps its own customers")
    }
}
