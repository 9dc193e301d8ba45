import Foundation
import XCTest

@testable import CohortKit

/// Helpers for the metric tests: intervals written out by hand as ISO dates, turned into a
/// customer's month-end snapshots the way the cohort stage does (cap at `as_of`, bridge, load).
enum Hand {
    /// The day of an ISO date; fails the test (and returns day 0) when the text is not a date.
    static func day(_ iso: String, file: StaticString = #filePath, line: UInt = #line) -> Day {
        guard let d = Day(iso: iso) else {
            XCTFail("not a date: \(iso)", file: file, line: line)
            return Day(raw: 0)
        }
        return d
    }

    /// The month of a `YYYY-MM` text; fails the test (and returns month 0) when it is not one.
    static func month(_ iso: String, file: StaticString = #filePath, line: UInt = #line) -> Month {
        guard let m = Month(iso: iso) else {
            XCTFail("not a month: \(iso)", file: file, line: line)
            return Month(raw: 0)
        }
        return m
    }

    /// A paying interval `[start, end)`; `end` nil is open (still running).
    static func iv(_ start: String, _ end: String?, _ mrr: Int64, product: Int32 = 0) -> PaidInterval {
        PaidInterval(
            start: day(start).raw, end: end.map { day($0).raw } ?? PaidInterval.open, mrrMinor: mrr, product: product)
    }

    /// A customer's snapshots through the last complete month of `asOf`, after capping and
    /// bridging gaps of at most `grace` days, as `CohortStage` sees them.
    static func snapshots(_ intervals: [PaidInterval], asOf: String, grace: Int = 0) throws -> CustomerSnapshots {
        var ivs = intervals
        let d = day(asOf)
        Activity.cap(&ivs, asOf: d)
        Activity.bridge(&ivs, graceDays: grace)
        var s = CustomerSnapshots()
        try s.load(ivs, lastMonth: Month.lastComplete(asOf: d))
        return s
    }

    /// The rows `write` writes, read back with Foundation's JSON parser.
    static func rows(_ write: (JSONLWriter) throws -> Void) throws -> [[String: Any]] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("metric-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        let w = try JSONLWriter(path: url.path)
        try write(w)
        try w.commit()
        return try Output.lines(url)
    }

    /// The bytes `write` writes.
    static func bytes(_ write: (JSONLWriter) throws -> Void) throws -> Data {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("metric-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        let w = try JSONLWriter(path: url.path)
        try write(w)
        try w.commit()
        return try Data(contentsOf: url)
    }
}

extension Dictionary where Key == String, Value == Any {
    /// Whether the field is present and JSON null (the other accessors are in AttributionPipeline.swift).
    func isNull(_ k: String) -> Bool { self[k] is NSNull }
}
