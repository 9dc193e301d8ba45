import XCTest

@testable import CohortKit

/// Timestamps whose offset moves them out of years 1–9999, how such days are written, and the
/// format guess a date reject carries.
final class DateRangeTests: XCTestCase {
    private func parse(_ text: String, _ f: DateFormat = .iso) -> Day? {
        var s = text
        return s.withUTF8 { f.parse($0) }
    }

    func testOffsetsAcrossYearBoundsGiveTheRealDay() throws {
        // 0001-01-01T00:00+05:00 is 0000-12-31T19:00Z; 9999-12-31T23:00-05:00 is 10000-01-01T04:00Z.
        let early = try XCTUnwrap(parse("0001-01-01T00:00:00+05:00"))
        XCTAssertEqual(early.description, "0000-12-31")
        XCTAssertEqual(early.civil.year, 0)
        let late = try XCTUnwrap(parse("9999-12-31T23:00:00-05:00"))
        XCTAssertEqual(late.description, "10000-01-01", "not cut to 0000-01-01")
        XCTAssertNil(Day(iso: late.description), "never reads back as another date")
        XCTAssertEqual(Day(raw: late.raw - 366 * 20000).description.first, "-")
    }

    func testDefaultRangeExcludesTheExtremes() throws {
        let config = try PipelineConfig(
            value: JSONParser.parse(
                #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}}"#
            ), file: "p.json")
        XCTAssertEqual(config.dateRange.lowerBound.description, "1900-01-01")
        XCTAssertEqual(config.dateRange.upperBound.description, "2199-12-31")
        XCTAssertFalse(config.dateRange.contains(try XCTUnwrap(parse("0001-01-01T00:00:00+05:00"))))
        XCTAssertFalse(config.dateRange.contains(try XCTUnwrap(parse("9999-12-31T23:00:00-05:00"))))
        XCTAssertTrue(config.dateRange.contains(try XCTUnwrap(parse("2199-12-31T23:00:00+05:00"))))
        XCTAssertFalse(
            config.dateRange.contains(try XCTUnwrap(parse("2199-12-31T23:00:00-05:00"))), "2200-01-01 in UTC")
    }

    func testAsOfOutsideTheRangeIsAConfigError() {
        XCTAssertThrowsError(
            try PipelineConfig(
                value: JSONParser.parse(
                    #"{"as_of": "9999-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}}"#
                ), file: "p.json")
        ) { e in
            XCTAssertEqual((e as? ConfigError)?.keyPath, "as_of")
        }
        XCTAssertThrowsError(
            try PipelineConfig(
                value: JSONParser.parse(
                    #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}}"#
                ), file: "p.json", asOfOverride: "1899-12-31")
        ) { e in
            XCTAssertEqual((e as? ConfigError)?.file, "--as-of")
        }
    }

    func testRejectReasonGuessesTheFormat() {
        func reason(_ text: String, _ f: DateFormat) -> String {
            var s = text
            return s.withUTF8 { f.rejectReason($0, shown: text) }
        }
        XCTAssertTrue(reason("31/12/2024", .iso).contains("looks like dd/MM/yyyy: set \"date_format\": \"dd/MM/yyyy\""))
        XCTAssertTrue(reason("12/31/2024", .iso).contains("looks like MM/dd/yyyy"))
        XCTAssertTrue(reason("01/02/2024", .iso).contains("MM/dd/yyyy or dd/MM/yyyy"))
        XCTAssertTrue(reason("2024-12-31", .euDMY).contains("looks like yyyy-MM-dd"))
        XCTAssertEqual(reason("soon", .iso), "\"soon\" is not a date in format yyyy-MM-dd")
    }

    /// Text in the format's shape whose day does not exist says which part is wrong, under its own
    /// reason group; other shapes keep the "not a date" reason and its format guess.
    func testADayThatDoesNotExistSaysSo() {
        func rejection(_ text: String, _ f: DateFormat = .iso) -> (reason: String, group: String) {
            var s = text
            return s.withUTF8 { f.rejection($0, shown: text) }
        }
        let noSuchDay: [(String, DateFormat, String)] = [
            ("2025-02-29", .iso, "2025 is not a leap year"),
            ("1900-02-29", .iso, "1900 is not a leap year"),
            ("2024-02-30", .iso, "February 2024 has 29 days"),
            ("2024-04-31", .iso, "April 2024 has 30 days"),
            ("2024-13-01", .iso, "there is no month 13 (are the day and the month swapped?)"),
            ("2024-23-06", .iso, "there is no month 23 (are the day and the month swapped?)"),
            ("2024-13-13", .iso, "there is no month 13"),
            ("2024-31-02", .iso, "there is no month 31"),
            ("2024-32-01", .iso, "there is no month 32"),
            ("2024-00-10", .iso, "there is no month 0"),
            ("2024-01-00", .iso, "there is no day 0"),
            ("0000-01-01", .iso, "there is no year 0000 (years start at 0001)"),
            ("2025-02-29T10:00:00Z", .iso, "2025 is not a leap year"),
            ("2025-02-29 10:00", .iso, "2025 is not a leap year"),
            ("2025/2/29", .slashYMD, "2025 is not a leap year"),
            ("29/02/2025", .euDMY, "2025 is not a leap year"),
            ("31.04.2024", .dotDMY, "April 2024 has 30 days"),
            ("13/13/2024", .usMDY, "there is no month 13"),
        ]
        for (text, format, why) in noSuchDay {
            let r = rejection(text, format)
            XCTAssertEqual(r.reason, "\"\(text)\" has the format \(format.rawValue) but no such day: \(why)")
            XCTAssertEqual(r.group, "no such day in the calendar", text)
            XCTAssertEqual(
                r.reason,
                {
                    var s = text
                    return s.withUTF8 { format.rejectReason($0, shown: text) }
                }())
        }
        // Other shapes, and days another format reads, are rejected as before.
        let notADate: [(String, DateFormat, String)] = [
            ("soon", .iso, "\"soon\" is not a date in format yyyy-MM-dd"),
            ("2024-2", .iso, "\"2024-2\" is not a date in format yyyy-MM-dd"),
            ("2025-02-29T25:00", .iso, "\"2025-02-29T25:00\" is not a date in format yyyy-MM-dd"),
            ("2025-02-29x", .iso, "\"2025-02-29x\" is not a date in format yyyy-MM-dd"),
            ("31/12/2024", .iso, "\"31/12/2024\" is not a date in format yyyy-MM-dd; it looks like dd/MM/yyyy"),
            ("12/31/2024", .euDMY, "\"12/31/2024\" is not a date in format dd/MM/yyyy; it looks like MM/dd/yyyy"),
        ]
        for (text, format, start) in notADate {
            let r = rejection(text, format)
            XCTAssertTrue(r.reason.hasPrefix(start), r.reason)
            XCTAssertEqual(r.group, "not a date in format \(format.rawValue)", text)
        }
        // A month and day without leading zeros are the format's: 2024-2-30 is a day that is not.
        XCTAssertEqual(
            rejection("2024-2-30", .iso).reason,
            "\"2024-2-30\" has the format yyyy-MM-dd but no such day: February 2024 has 29 days")
    }

    /// A configuration date that does not exist says why too.
    func testAConfiguredDayThatDoesNotExistSaysSo() {
        XCTAssertThrowsError(
            try PipelineConfig(
                value: JSONParser.parse(
                    #"{"as_of": "2025-02-29", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}}"#
                ), file: "p.json")
        ) { e in
            XCTAssertEqual((e as? ConfigError)?.message, "\"2025-02-29\" is not a date: 2025 is not a leap year")
        }
        XCTAssertThrowsError(
            try PipelineConfig(
                value: JSONParser.parse(
                    #"{"as_of": "2024-12-31", "ingest": {"date_range": {"max": "2199-13-01"}}, "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}}"#
                ), file: "p.json")
        ) { e in
            XCTAssertEqual(
                (e as? ConfigError)?.message,
                "\"2199-13-01\" is not a date: there is no month 13 (are the day and the month swapped?)")
        }
    }

    /// Billing exports write the zone after a space, or as `UTC`/`GMT` (Recurly's `2024-03-05
    /// 14:22:10 UTC`): the same instant as with the offset written on. A zone name other than
    /// those, or text after the zone, is no timestamp.
    func testAZoneAfterASpaceOrNamedUTCIsRead() throws {
        for (text, day) in [
            ("2024-03-05 14:22:10 UTC", "2024-03-05"), ("2024-03-05 14:22:10 utc", "2024-03-05"),
            ("2024-03-05T23:30:00 GMT", "2024-03-05"), ("2024-03-05 23:30:00UTC", "2024-03-05"),
            ("2024-03-05 14:22:10 +0000", "2024-03-05"), ("2024-03-05 20:00:00 -05:00", "2024-03-06"),
            ("2024-03-05 23:30:00 Z", "2024-03-05"), ("2024-03-06 01:00:00 +09:00", "2024-03-05"),
        ] {
            XCTAssertEqual(parse(text)?.description, day, text)
        }
        for text in [
            "2024-03-05 14:22:10 PST", "2024-03-05 14:22:10 UTC+1", "2024-03-05 14:22:10  UTC",
            "2024-03-05 14:22:10 ", "2024-03-05 14:22:10 UT",
        ] {
            XCTAssertNil(parse(text), text)
        }
    }

    /// A leap second is the last second of its day (2016-12-31T23:59:60Z was inserted at the end
    /// of 2016), not the first of the next; :61 is no second at all.
    func testALeapSecondStaysOnItsDay() throws {
        XCTAssertEqual(parse("2016-12-31T23:59:60Z")?.description, "2016-12-31")
        XCTAssertEqual(parse("2017-01-01T08:59:60+09:00")?.description, "2016-12-31")
        XCTAssertNil(parse("2016-12-31T23:59:61Z"))
    }
}
