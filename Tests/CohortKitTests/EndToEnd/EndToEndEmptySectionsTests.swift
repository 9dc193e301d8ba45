import Foundation
import XCTest

/// The report says why the exit reasons or the activation are empty, from the configuration and
/// what ingest read (no source configured, its file not found, no rows, no activation event, or
/// none of that event), and why the backtest compared nothing.
final class EndToEndEmptySectionsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try E2EFixture.copy("basic", for: self)
    }

    private func url(_ p: String) -> URL { dir.appendingPathComponent(p) }

    private func replace(_ file: String, _ a: String, _ b: String) throws {
        try E2EFixture.replace(in: dir, file, a, b)
    }

    /// The line under `heading` in report.md, unescaped.
    private func line(under heading: String) throws -> String {
        let md = try Output.text(url("reports/report.md"))
        guard let h = md.range(of: "### \(heading)\n\n") else { return "" }
        return String(md[h.upperBound...].prefix { $0 != "\n" }).replacingOccurrences(of: "\\", with: "")
    }

    private func runPipeline() throws {
        let results = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        XCTAssertEqual(results.map(\.exitCode), [0, 0, 0, 0, 0], results.map(\.stderr).joined())
    }

    /// The backtest's cut-off, six months before April 2024, falls before the first signup month
    /// (January 2024): the report says so instead of listing rows of zero cells.
    func testABacktestBeforeTheDataSaysSo() throws {
        try runPipeline()
        let backtest = try Output.text(url("work/cohort/backtest.jsonl"))
        XCTAssertTrue(backtest.contains("\"horizon_months\":0,\"cells\":0"), backtest)
        XCTAssertEqual(
            try line(under: "How far to trust the projections").prefix(17), "Cells not yet obs")
        let md = try Output.text(url("reports/report.md")).replacingOccurrences(of: "\\", with: "")
        XCTAssertTrue(
            md.contains(
                "No backtest yet: it would project from the end of 2023-10, before the earliest first subscription month in the data (2024-01), so there is nothing to compare."
            ), md)
        XCTAssertFalse(md.contains("| Months ahead |"))
    }

    func testNoSourceConfigured() throws {
        try replace(
            "pipeline.json",
            """
            "currency": "JPY" },
                "cancellations": { "path": "raw/cancellations.csv", "format": "csv", "optional": true },
                "events": { "path": "raw/events.jsonl", "format": "jsonl", "optional": true }
            """,
            "\"currency\": \"JPY\" }")
        try runPipeline()
        XCTAssertEqual(
            try line(under: "Exit reasons"), "No data: no cancellations source is configured (sources.cancellations).")
        XCTAssertEqual(try line(under: "Activation"), "No data: no events source is configured (sources.events).")
        // The activation rate, with no events to measure it, is left out of the headline and
        // summary.json rather than shown as undefined.
        let kpis = try Output.object(url("reports/summary.json"))["kpis"] as? [String: Any] ?? [:]
        XCTAssertNil(kpis["activation_rate"], "\(kpis.keys.sorted())")
        XCTAssertNotNil(kpis["nrr_trailing_12m"])
    }

    func testFilesNotFoundOrEmpty() throws {
        try replace("pipeline.json", "raw/events.jsonl", "raw/gone.jsonl")
        try Data("customer_id,date,reason,comment\n".utf8).write(to: url("raw/cancellations.csv"))
        try runPipeline()
        XCTAssertEqual(try line(under: "Exit reasons"), "No data: the cancellations file has no rows.")
        XCTAssertEqual(
            try line(under: "Activation"),
            "No data: the optional events file was not found (see the warnings under Data quality).")
    }

    /// Cancellations were accepted, but all are dated after as_of: exit reasons count none.
    func testCancellationsAllAfterAsOf() throws {
        try Data("customer_id,date,reason,comment\nC2,2024-05-15,too_expensive,\nC3,2024-06-01,,\n".utf8).write(
            to: url("raw/cancellations.csv"))
        try runPipeline()
        XCTAssertEqual(
            try line(under: "Exit reasons"),
            "No data: each of the 2 rows accepted from cancellations is dated after as_of (2024-04-30).")
    }

    func testNoActivationEventOrNoneOfIt() throws {
        try replace(
            "pipeline.json", "\"activation\": { \"event\": \"report_created\", \"days\": 30 }", "\"activation\": {}")
        try runPipeline()
        XCTAssertEqual(
            try line(under: "Activation"), "No data: no activation event is configured (attribution.activation.event).")
        try replace(
            "pipeline.json", "\"activation\": {}", "\"activation\": { \"event\": \"invoice_paid\", \"days\": 30 }")
        try replace("pipeline.json", "\"locale\": \"en\"", "\"locale\": \"ja\"")
        try runPipeline()
        XCTAssertEqual(
            try line(under: "アクティベーション"),
            "データがありません。イベント（events）に、顧客の「invoice_paid」イベント（attribution.activation.event）がありません。")
        // The exit reasons are there.
        XCTAssertTrue(try line(under: "解約理由").hasPrefix("| "))
    }
}
