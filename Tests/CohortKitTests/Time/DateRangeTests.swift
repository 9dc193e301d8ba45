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

    /// A leap second is the last second of its day (2016-12-31T23:59:60Z was inserted at the end
    /// of 2016), not the first of the next; :61 is no second at all.
    func testALeapSecondStaysOnItsDay() throws {
        XCTAssertEqual(parse("2016-12-31T23:59:60Z")?.description, "2016-12-31")
        XCTAssertEqual(parse("2017-01-01T08:59:60+09:00")?.description, "2016-12-31")
        XCTAssertNil(parse("2016-12-31T23:59:61Z"))
    }
}
