import XCTest

@testable import CohortKit

final class DayTests: XCTestCase {
    func testEpochAndKnownDates() {
        XCTAssertEqual(Day(year: 1970, month: 1, day: 1)?.raw, 0)
        XCTAssertEqual(Day(year: 2000, month: 3, day: 1)?.raw, 11017)
        XCTAssertEqual(Day(year: 2024, month: 12, day: 31)?.description, "2024-12-31")
        XCTAssertEqual(Day(raw: 19723).description, "2024-01-01")
    }

    func testInvalidDatesAreRejected() {
        XCTAssertNil(Day(year: 2024, month: 2, day: 30))
        XCTAssertNil(Day(year: 2023, month: 2, day: 29))
        XCTAssertNotNil(Day(year: 2024, month: 2, day: 29))
        XCTAssertNil(Day(year: 2024, month: 13, day: 1))
        XCTAssertNil(Day(iso: "2024-1-01"))
        XCTAssertNil(Day(iso: "2024-02-30"))
    }

    func testRoundTripEveryDayOfFourHundredYears() {
        var d = Day(year: 1900, month: 1, day: 1)!
        let end = Day(year: 2300, month: 1, day: 1)!
        while d < end {
            let c = d.civil
            XCTAssertEqual(Day(year: c.year, month: c.month, day: c.day), d)
            d = d + 1
        }
    }

    /// The lookup tables for 1970-2099 agree with the calendar arithmetic on every day and month,
    /// at their edges and on the years either side, where the arithmetic answers alone.
    func testCalendarTablesAgreeWithTheArithmetic() {
        var d = Day(raw: Int32(Day.daysFromCivil(1960, 1, 1)))
        let end = Day(raw: Int32(Day.daysFromCivil(2110, 1, 1)))
        var checked = 0
        while d < end {
            let c = d.civil
            XCTAssertEqual(d.month, Month(year: c.year, month: c.month), "\(d)")
            XCTAssertEqual(Day(year: c.year, month: c.month, day: c.day), d)
            checked += 1
            d = d + 1
        }
        XCTAssertGreaterThan(checked, 54_000)
        for year in [1, 1969, 1970, 2024, 2099, 2100, 9999] {
            for m in 1...12 {
                let month = Month(year: year, month: m)
                XCTAssertEqual(Int(month.firstDay.raw), Day.daysFromCivil(year, m, 1), "\(month)")
                XCTAssertEqual(
                    Int(month.lastDay.raw), Day.daysFromCivil(year, m, Day.daysIn(year: year, month: m)), "\(month)")
                XCTAssertEqual(Day(year: year, month: m, day: 1)?.month, month)
            }
        }
        XCTAssertEqual(Day(raw: 0).month, Month(year: 1970, month: 1))
        XCTAssertEqual(Day(raw: Int32(CalendarTable.days) - 1).description, "2099-12-31")
        XCTAssertEqual(Day(raw: Int32(CalendarTable.days)).month, Month(year: 2100, month: 1))
        XCTAssertEqual(Day(raw: -1).month, Month(year: 1969, month: 12))
    }

    func testMonthSnapshotsAndArithmetic() {
        let feb = Month(year: 2024, month: 2)
        XCTAssertEqual(feb.lastDay.description, "2024-02-29")
        XCTAssertEqual(feb.firstDay.description, "2024-02-01")
        XCTAssertEqual((feb + 11).description, "2025-01")
        XCTAssertEqual((feb - 2).description, "2023-12")
        XCTAssertEqual(Month.lastComplete(asOf: Day(iso: "2024-12-31")!).description, "2024-12")
        XCTAssertEqual(Month.lastComplete(asOf: Day(iso: "2024-12-30")!).description, "2024-11")
        XCTAssertTrue(Month(year: 2024, month: 6).endsQuarter)
        XCTAssertFalse(Month(year: 2024, month: 7).endsQuarter)
    }

    func parse(_ f: DateFormat, _ s: String, zone: SourceTimeZone = .utc) -> String? {
        var t = s
        return t.withUTF8 { f.parse($0, zone: zone) }?.description
    }

    func testDateFormats() {
        XCTAssertEqual(parse(.iso, "2024-03-05"), "2024-03-05")
        XCTAssertEqual(parse(.slashYMD, "2024/3/5"), "2024-03-05")
        XCTAssertEqual(parse(.usMDY, "03/05/2024"), "2024-03-05")
        XCTAssertEqual(parse(.euDMY, "05/03/2024"), "2024-03-05")
        XCTAssertEqual(parse(.dotDMY, "5.3.2024"), "2024-03-05")
        XCTAssertNil(parse(.usMDY, "13/05/2024"))
        // Month and day without a leading zero, as every other format reads them (an export
        // of 2024-1-5 means 5 January); timestamps too.
        XCTAssertEqual(parse(.iso, "2024-1-5"), "2024-01-05")
        XCTAssertEqual(parse(.iso, "2024-12-5"), "2024-12-05")
        XCTAssertEqual(parse(.iso, "2024-1-15T10:00:00Z"), "2024-01-15")
        XCTAssertNil(parse(.iso, "2024-001-05"))
        XCTAssertNil(parse(.iso, "24-01-05"))
        XCTAssertNil(parse(.iso, "2024-03-05x"))
        XCTAssertNil(parse(.iso, ""))
    }

    func testTimestampsBecomeDatesInTheSourceZone() {
        XCTAssertEqual(parse(.iso, "2024-03-05T23:30:00Z"), "2024-03-05")
        XCTAssertEqual(parse(.iso, "2024-03-05T23:30:00-02:00"), "2024-03-06")
        XCTAssertEqual(parse(.iso, "2024-03-05 01:30:00+0900"), "2024-03-04")
        XCTAssertEqual(parse(.iso, "2024-03-05T20:00:00.123Z", zone: .fixed(seconds: 9 * 3600)), "2024-03-06")
        XCTAssertEqual(parse(.iso, "2024-03-05T20:00", zone: .named("Asia/Tokyo")), "2024-03-05")
        XCTAssertNil(parse(.iso, "2024-03-05T25:00:00Z"))
        XCTAssertNil(parse(.iso, "2024-03-05T10"))
    }
}
