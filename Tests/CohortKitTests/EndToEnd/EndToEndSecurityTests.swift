import Foundation
import XCTest

/// Hostile strings in the input data go through every stage and come out inert: escaped in the
/// HTML and Markdown reports, intact in the JSON outputs, defused in any CSV.
///
/// `Fixtures/e2e/hostile` is the basic fixture with C4-C6's channel set to
/// `<script>alert(1)</script>`, a region value full of Markdown and HTML syntax, a rejected
/// customer row holding a spreadsheet formula, and C2's cancellation reason `=cmd|' /C calc'!A0`.
final class EndToEndSecurityTests: XCTestCase {
    static let script = "<script>alert(1)</script>"
    static let region = "a|b **x** [y](javascript:alert(2)) <img src=x onerror=alert(3)>"
    static let reason = "=cmd|' /C calc'!A0"
    /// The reason as report.md must show it: the leading '=' and the syntax characters escaped.
    static let markdownReason = #"\=cmd\|' /C calc'\!A0"#

    var dir: URL!
    var reports: URL { dir.appendingPathComponent("reports") }

    override func setUpWithError() throws {
        dir = try E2EFixture.copy("hostile", for: self)
        try StageProcess.runAll(config: dir.appendingPathComponent("pipeline.json").path)
    }

    func testJSONOutputsKeepTheStringsIntact() throws {
        let customers = try Output.lines(dir.appendingPathComponent("work/normalize/customers.jsonl"))
        XCTAssertEqual(Output.row(customers, ["customer_id": "C4"])["channel"] as? String, Self.script)
        let reasons = try Output.lines(dir.appendingPathComponent("work/churn-attribution/reasons.jsonl"))
        XCTAssertTrue(
            reasons.contains { $0["reason"] as? String == Self.reason }, "the reason reaches reasons.jsonl unchanged")
        let triangle = try Output.lines(dir.appendingPathComponent("work/cohort/triangle.jsonl"))
        XCTAssertTrue(triangle.contains { $0["channel"] as? String == Self.script })
        let segments = try Output.lines(dir.appendingPathComponent("work/churn-attribution/segments.jsonl"))
        XCTAssertTrue(
            segments.contains { $0["dimension"] as? String == "region" && $0["value"] as? String == Self.region })
    }

    func testHTMLEscapesDataEverywhere() throws {
        let html = try Output.text(reports.appendingPathComponent("report.html"))
        // The report needs no JavaScript (docs/stages.md#report): any script tag, event handler or javascript:
        // URL in it came from data.
        XCTAssertFalse(html.lowercased().contains("<script"), "raw <script> in report.html")
        XCTAssertFalse(html.contains("<img"), "raw <img> from data in report.html")
        XCTAssertNil(
            html.range(of: #"<[^>]*\sonerror\s*="#, options: .regularExpression), "event handler attribute from data")
        XCTAssertNil(
            html.range(of: #"(href|src)\s*=\s*["']?\s*javascript:"#, options: [.regularExpression, .caseInsensitive]))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the channel is shown, escaped")
        XCTAssertTrue(
            html.contains("=cmd|&#39; /C calc&#39;!A0") || html.contains("=cmd|&apos; /C calc&apos;!A0")
                || html.contains("=cmd|' /C calc'!A0"), "the exit reason is shown")
        // A truncated label must not cut an entity in half ("&lt" followed by an ellipsis).
        XCTAssertNil(html.range(of: #"&[a-zA-Z#0-9]*…"#, options: .regularExpression), "an entity cut by truncation")
        // Every '&' starts an entity: no bare ampersand from data.
        XCTAssertNil(
            html.range(of: #"&(?![a-zA-Z]+;|#[0-9]+;|#x[0-9a-fA-F]+;)"#, options: .regularExpression),
            "bare & in report.html")
    }

    func testMarkdownEscapesDataEverywhere() throws {
        let md = try Output.text(reports.appendingPathComponent("report.md"))
        // No raw tag (a '<' not preceded by a backslash) and no live link or emphasis from data.
        XCTAssertNil(
            md.range(of: #"(?<!\\)<(script|img)"#, options: .regularExpression), "raw tag from data in report.md")
        XCTAssertTrue(md.contains(#"\<script\>alert(1)\</script\>"#), "the channel is shown, escaped")
        XCTAssertFalse(md.contains("[y](javascript"), "live Markdown link from data")
        XCTAssertFalse(md.contains("**x**"), "Markdown emphasis from data")
        // A value containing '|' must not add cells: every row of a table has its header's cells.
        var expected: Int?
        for line in md.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                expected = nil
                continue
            }
            let cells = cellCount(line)
            if let e = expected {
                XCTAssertEqual(cells, e, "table row with a stray cell: \(line)")
            } else {
                expected = cells
            }
        }
        // The reason may not begin a cell as a bare '=' a spreadsheet pasting the table would run.
        XCTAssertTrue(md.contains(Self.markdownReason), "the exit reason is shown, escaped")
    }

    func testCSVExportsDefuseFormulas() throws {
        // No stage writes CSV today; any that does must not start a cell with = + - @.
        for top in [dir.appendingPathComponent("work"), reports] {
            let files =
                FileManager.default.enumerator(at: top, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }
                ?? []
            for f in files where f.pathExtension.lowercased() == "csv" {
                for line in try Output.text(f).split(separator: "\n") {
                    for cell in line.split(separator: ",", omittingEmptySubsequences: false) {
                        let c = cell.drop { $0 == "\"" }
                        XCTAssertFalse(
                            c.hasPrefix("=") || c.hasPrefix("+") || c.hasPrefix("@"),
                            "\(f.lastPathComponent): formula cell \(cell)")
                    }
                }
            }
        }
    }

    func testSummaryAndRejectsStayValidJSON() throws {
        _ = try Output.object(reports.appendingPathComponent("summary.json"))
        let rejects = try Output.lines(dir.appendingPathComponent("work/ingest/rejects.jsonl"))
        XCTAssertTrue(rejects.contains { ($0["raw"] as? String)?.contains("=HYPERLINK(") ?? false })
    }

    /// Cells of a Markdown table row, ignoring escaped pipes.
    private func cellCount(_ line: Substring) -> Int {
        var count = 0
        var escaped = false
        for ch in line {
            if escaped {
                escaped = false
                continue
            }
            if ch == "\\" { escaped = true } else if ch == "|" { count += 1 }
        }
        return count - 1
    }
}
