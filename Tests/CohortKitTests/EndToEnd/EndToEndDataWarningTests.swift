import Foundation
import XCTest

/// What is missing is said: a configured column the file lacks is an error; an absent optional
/// column that changes the numbers, a missing optional source and an as_of far past the data are
/// warnings on stderr and in the report; the report shows which dates the data covers.
final class EndToEndDataWarningTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try E2EFixture.copy("basic", for: self)
    }

    private func url(_ p: String) -> URL { dir.appendingPathComponent(p) }

    private func replace(_ file: String, _ a: String, _ b: String) throws {
        try E2EFixture.replace(in: dir, file, a, b)
    }

    func testAConfiguredColumnTheFileLacksIsAConfigError() throws {
        try replace(
            "pipeline.json", "\"path\": \"raw/customers.csv\", \"format\": \"csv\"",
            "\"path\": \"raw/customers.csv\", \"format\": \"csv\", \"columns\": {\"acquisition_channel\": \"source\"}")
        let r = try StageProcess.run("ingest", ["--config", "pipeline.json"], cwd: dir)
        assertUserMessage(
            r, exit: 2, mentions: ["raw/customers.csv", "\"source\"", "acquisition_channel", "region"],
            "configured column missing")
    }

    /// A mapping key that is no field of the source (`end_dat`) would leave `end_date` unmapped:
    /// every subscription open-ended, no one churned, exit 0. It is a configuration error naming
    /// the key and the closest field.
    func testAColumnsKeyThatIsNoFieldOfTheSourceIsAConfigError() throws {
        try replace("raw/subscriptions.csv", "start_date,end_date,mrr", "start_date,終了日,mrr")
        try replace(
            "pipeline.json", "\"path\": \"raw/subscriptions.csv\", \"format\": \"csv\"",
            "\"path\": \"raw/subscriptions.csv\", \"format\": \"csv\", \"columns\": {\"end_dat\": \"終了日\"}")
        for stage in ["ingest", "normalize", "report"] {
            let r = try StageProcess.run(stage, ["--config", "pipeline.json"], cwd: dir)
            assertUserMessage(
                r, exit: 2,
                mentions: ["sources.subscriptions.columns.end_dat", "not a field of subscriptions", "\"end_date\"?"],
                "\(stage): columns key with a typo")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url("work/ingest").path))
    }

    /// Customers may rename attribute columns (`"tier": "segment"`); a renamed column the file
    /// lacks is an error, as for a mapped field.
    func testARenamedAttributeColumnTheFileLacksIsAConfigError() throws {
        try replace(
            "pipeline.json", "\"path\": \"raw/customers.csv\", \"format\": \"csv\"",
            "\"path\": \"raw/customers.csv\", \"format\": \"csv\", \"columns\": {\"tier\": \"segment\"}")
        let r = try StageProcess.run("ingest", ["--config", "pipeline.json"], cwd: dir)
        assertUserMessage(
            r, exit: 2, mentions: ["raw/customers.csv", "\"segment\"", "for tier", "region"], "renamed column missing")
        // Renaming a column the file has keeps working.
        try replace("pipeline.json", "{\"tier\": \"segment\"}", "{\"tier\": \"region\"}")
        let ok = try StageProcess.run("ingest", ["--config", "pipeline.json"], cwd: dir)
        XCTAssertEqual(ok.exitCode, 0, ok.stderr)
        XCTAssertTrue(try Output.text(url("work/ingest/customers.jsonl")).contains("\"tier\":"))
    }

    func testAnAbsentDefaultColumnIsAWarningWithItsConsequence() throws {
        try replace(
            "raw/customers.csv", "customer_id,signup_date,acquisition_channel,region",
            "customer_id,signup_date,channel,region")
        let results = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        let expected = "no \"acquisition_channel\" column (for acquisition_channel): all 7 customers are in (unknown)"
        XCTAssertTrue(
            results[0].stderr.contains("ingest: warning: ") && results[0].stderr.contains(expected), results[0].stderr)
        XCTAssertTrue(try Output.text(url("reports/report.md")).contains("all 7 customers are in (unknown)"))
        XCTAssertTrue(try Output.text(url("reports/report.html")).contains("all 7 customers are in (unknown)"))
        let warnings = try Output.object(url("reports/summary.json"))["warnings"] as? [String] ?? []
        XCTAssertTrue(warnings.contains { $0.contains(expected) }, "\(warnings)")
        let m = try Output.object(url("work/ingest/ingest.manifest.json"))
        XCTAssertEqual((m["warnings"] as? [String])?.count, 1)
    }

    /// A currency column under another spelling is no currency column: its USD amounts would be
    /// read as yen. The warning names the look-alike column; without one there is no warning
    /// (a source without currencies is the documented way to give one currency for all).
    func testACurrencyColumnSpelledOtherwiseIsAWarningNamingIt() throws {
        try replace("raw/subscriptions.csv", "start_date,end_date,mrr,currency", "start_date,end_date,mrr,Currency")
        let results = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        XCTAssertTrue(
            results[0].stderr.contains(
                "no \"currency\" column (for currency): amounts are read in sources.subscriptions.currency, or else in the report currency. The file has \"Currency\": if that is it, map it with \"columns\": {\"currency\": \"Currency\"} in sources.subscriptions."
            ), results[0].stderr)
        try replace("raw/subscriptions.csv", "start_date,end_date,mrr,Currency", "start_date,end_date,mrr,note")
        let none = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        XCTAssertFalse(none[0].stderr.contains("\"currency\" column"), none[0].stderr)
        // Its dollar amounts in cents, read as yen, have decimals yen has not: that warning stays.
        XCTAssertTrue(
            none[0].stderr.contains("more decimal places than the currency's minor units"), none[0].stderr)
    }

    /// Trailing delimiters on the customers' header are columns without a name: no attribute
    /// under an empty key (two of them were two equal keys in one JSON object), and a warning
    /// when such a column holds values.
    func testColumnsWithoutANameAreNoAttributes() throws {
        let csv = try Output.text(url("raw/customers.csv")).split(separator: "\n").map {
            $0.hasPrefix("C1,") ? $0 + ",,x" : $0 + ",,"
        }
        try Data((csv.joined(separator: "\n") + "\n").utf8).write(to: url("raw/customers.csv"))
        let results = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        XCTAssertTrue(
            results[0].stderr.contains(
                "2 columns have no name in the header line; the 1 value in them is not read. Name the column to keep it as an attribute."
            ), results[0].stderr)
        let customers = try Output.text(url("work/ingest/customers.jsonl"))
        XCTAssertFalse(customers.contains("\"\":"), customers)
        XCTAssertTrue(
            try Output.text(url("work/normalize/customers.jsonl")).contains("\"attributes\":{\"region\":\"Kanto\"}"))
    }

    func testAMissingOptionalSourceIsAWarningNamingThePath() throws {
        try replace("pipeline.json", "raw/events.jsonl", "raw/event.jsonl")
        let results = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        XCTAssertTrue(
            results[0].stderr.contains("raw/event.jsonl: the optional events file was not found"), results[0].stderr)
        XCTAssertTrue(try Output.text(url("reports/report.md")).contains("raw/event.jsonl"))
    }

    /// A Japanese report words the warnings ingest and the report found in Japanese, from the kinds
    /// the manifests record beside the English sentences (which stderr and summary.json keep).
    func testAJapaneseReportWordsTheWarningsInJapanese() throws {
        try replace(
            "raw/customers.csv", "customer_id,signup_date,acquisition_channel,region",
            "customer_id,signup_date,channel,region")
        try replace("pipeline.json", "raw/events.jsonl", "raw/event.jsonl")
        try replace("pipeline.json", "\"as_of\": \"2024-04-30\"", "\"as_of\": \"2026-02-28\"")
        try replace("pipeline.json", "\"locale\": \"en\"", "\"locale\": \"ja\"")
        let results = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        XCTAssertTrue(results[0].stderr.contains("all 7 customers are in (unknown)"), results[0].stderr)
        let kinds = try Output.object(url("work/ingest/ingest.manifest.json"))["warning_kinds"] as? [[String: Any]]
        XCTAssertEqual(kinds?.compactMap { $0["kind"] as? String }, ["missing_column", "missing_optional_source"])
        let japanese = [
            "raw/event.jsonl: 任意のソースイベント（events）のファイルが見つからなかったため",
            "raw/customers.csv: acquisition_channel の列「acquisition_channel」がありません。顧客 7 社がすべて（不明）に入ります。",
            "as_of（2026年2月28日）はデータの最終日（2024年3月15日）の 715 日後です。",
        ]
        let md = try Output.text(url("reports/report.md")).replacingOccurrences(of: "\\", with: "")
        let html = try Output.text(url("reports/report.html"))
        for text in japanese {
            XCTAssertTrue(md.contains(text), text)
            XCTAssertTrue(html.contains(text), text)
        }
        XCTAssertFalse(md.contains("days after the last date") || html.contains("was not found"))
        let warnings = try Output.object(url("reports/summary.json"))["warnings"] as? [String] ?? []
        XCTAssertEqual(warnings.count, 3)
        XCTAssertTrue(warnings.contains { $0.contains("715 days after the last date in the data") }, "\(warnings)")
    }

    func testAnAsOfFarPastTheDataIsAWarning() throws {
        try replace("pipeline.json", "\"as_of\": \"2024-04-30\"", "\"as_of\": \"2026-02-28\"")
        let results = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        let text = "as_of 2026-02-28 is 679 days after the last date in the data (2024-04-20)"
        XCTAssertTrue(results[1].stderr.contains("normalize: warning: " + text), results[1].stderr)
        XCTAssertTrue(results[4].stderr.contains("report: warning: " + text), results[4].stderr)
        XCTAssertTrue(try Output.text(url("reports/report.md")).replacingOccurrences(of: "\\", with: "").contains(text))
        // Within 45 days: no warning.
        try replace("pipeline.json", "\"as_of\": \"2026-02-28\"", "\"as_of\": \"2024-05-20\"")
        let near = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        XCTAssertFalse(near.map(\.stderr).joined().contains("warning"), near.map(\.stderr).joined())
    }

    /// An as_of before the first subscription starts: every metric is empty, and every stage that
    /// reads the data at as_of, the report and the pull-request summary say why.
    func testAnAsOfBeforeTheDataIsAWarning() throws {
        try replace("pipeline.json", "\"as_of\": \"2024-04-30\"", "\"as_of\": \"2023-06-30\"")
        // (The configured check on monthly churn would fail: there is no churn to compare.)
        try replace(
            "pipeline.json", "\"checks\": [ { \"metric\": \"logo_churn_monthly\", \"max\": 0.5 } ]", "\"checks\": []")
        let results = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        let text = "as_of 2023-06-30 is before the first subscription starts (2024-01-"
        XCTAssertTrue(results[1].stderr.contains("normalize: warning: " + text), results[1].stderr)
        XCTAssertTrue(results[4].stderr.contains("report: warning: " + text), results[4].stderr)
        let summary = try Output.text(url("reports/summary.md")).replacingOccurrences(of: "\\", with: "")
        XCTAssertTrue(summary.contains("## ⚠️ Read with care\n\n- " + text), summary)
    }

    /// The same far as_of, but every subscription has ended: the warning says so instead of
    /// blaming open subscriptions that do not exist (with some open, it blames them).
    func testAFarAsOfWithNoSubscriptionOpenSaysSo() throws {
        try replace("pipeline.json", "\"as_of\": \"2024-04-30\"", "\"as_of\": \"2026-02-28\"")
        let open = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        XCTAssertTrue(open[1].stderr.contains("open subscriptions count as paying up to it"), open[1].stderr)
        let text = try Output.text(url("raw/subscriptions.csv")).split(separator: "\n").map { line -> String in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if fields.count > 5, fields[5].isEmpty { fields[5] = "2024-04-20" }
            return fields.joined(separator: ",")
        }
        try Data((text.joined(separator: "\n") + "\n").utf8).write(to: url("raw/subscriptions.csv"))
        let ended = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        let expected = "no subscription is open at as_of, so every customer counts as gone by then"
        XCTAssertTrue(ended[1].stderr.contains("normalize: warning: "), ended[1].stderr)
        XCTAssertTrue(ended[1].stderr.contains(expected), ended[1].stderr)
        XCTAssertTrue(ended[4].stderr.contains(expected), ended[4].stderr)
        XCTAssertFalse(ended.map(\.stderr).joined().contains("flatters churn"))
        let m = try Output.object(url("work/normalize/normalize.manifest.json"))
        XCTAssertEqual((m["counts"] as? [String: Any])?["open_at_as_of"] as? Int, 0)
    }

    func testTheReportShowsTheDataCoverage() throws {
        try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        let s = try Output.object(url("reports/summary.json"))
        let coverage = try XCTUnwrap(s["coverage"] as? [[String: Any]])
        XCTAssertEqual(
            coverage.map { $0["source"] as? String }, ["customers", "subscriptions", "cancellations", "events"])
        XCTAssertEqual(coverage.first?["first"] as? String, "2024-01-05")
        XCTAssertEqual(s["as_of"] as? String, "2024-04-30")
        let md = try Output.text(url("reports/report.md"))
        XCTAssertTrue(md.contains("customers 2024-01-05 – "), md.prefix(600).description)
        XCTAssertTrue(try Output.text(url("reports/report.html")).contains("customers 2024-01-05 – "))
    }
}
