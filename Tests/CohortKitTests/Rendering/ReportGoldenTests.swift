import Foundation
import XCTest

@testable import CohortKit

/// Renders `SampleReportModel` and compares with the committed files in Fixtures/report.
/// `RECORD_GOLDEN=1 swift test --filter ReportGoldenTests` rewrites them instead.
final class ReportGoldenTests: XCTestCase {
    /// The committed fixture folder in the source tree (not the copied test bundle), so recording writes there.
    private static var fixtureDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/report")
    }

    private func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        try Self.assertGolden(actual, name, file: file, line: line)
    }

    /// Compares `actual` with the golden file `name` (or records it under RECORD_GOLDEN=1).
    static func assertGolden(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let url = fixtureDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: fixtureDirectory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url, options: .atomic)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path),
            let expected = String(data: data, encoding: .utf8)
        else {
            return XCTFail(
                "Missing golden file \(url.path); run with RECORD_GOLDEN=1 to create it.", file: file, line: line)
        }
        if expected != actual {
            XCTFail(
                "\(name) differs from the golden file (RECORD_GOLDEN=1 rewrites it):\n"
                    + Self.lineDiff(expected: expected, actual: actual), file: file, line: line)
        }
    }

    /// The first differing lines with a little context, `-` expected and `+` actual.
    static func lineDiff(expected: String, actual: String, context: Int = 2, maxLines: Int = 12) -> String {
        let e = expected.components(separatedBy: "\n")
        let a = actual.components(separatedBy: "\n")
        var first = 0
        while first < e.count && first < a.count && e[first] == a[first] { first += 1 }
        var out: [String] = []
        for i in max(0, first - context)..<first { out.append("  \(i + 1): \(e[i])") }
        for i in first..<min(e.count, first + maxLines) { out.append("- \(i + 1): \(e[i])") }
        for i in first..<min(a.count, first + maxLines) { out.append("+ \(i + 1): \(a[i])") }
        if e.count != a.count { out.append("(expected \(e.count) lines, got \(a.count))") }
        return out.joined(separator: "\n")
    }

    func testMarkdownEnglish() throws {
        try assertGolden(MarkdownReport.render(SampleReportModel.make(locale: .en)), "report.en.md")
    }
    func testMarkdownJapanese() throws {
        try assertGolden(MarkdownReport.render(SampleReportModel.make(locale: .ja)), "report.ja.md")
    }
    func testHTMLEnglish() throws {
        try assertGolden(HTMLReport.render(SampleReportModel.make(locale: .en)), "report.en.html")
    }
    func testHTMLJapanese() throws {
        try assertGolden(HTMLReport.render(SampleReportModel.make(locale: .ja)), "report.ja.html")
    }

    func testScriptChannelNameAppearsOnlyEscaped() {
        for locale in ReportLocale.allCases {
            let model = SampleReportModel.make(locale: locale)
            let html = HTMLReport.render(model)
            XCTAssertFalse(html.lowercased().contains("<script"), "raw script tag in HTML (\(locale))")
            XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            XCTAssertFalse(html.contains("<b>partner</b>"))
            let md = MarkdownReport.render(model)
            XCTAssertFalse(md.contains("<script>"), "raw script tag in Markdown (\(locale))")
            XCTAssertTrue(md.contains("\\<script\\>alert(1)\\</script\\>"))
            // The formula-shaped reason cannot end its table cell early.
            XCTAssertTrue(md.contains("\\=cmd\\|' /C calc'\\!A0"))
            XCTAssertFalse(md.contains("=cmd|"))
        }
    }

    func testHTMLIsSelfContained() {
        let html = HTMLReport.render(SampleReportModel.make(locale: .en))
        XCTAssertFalse(
            html.contains("http://")
                && html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http://"))
        XCTAssertFalse(html.contains("https://"))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("src="))
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(HTMLReport.render(SampleReportModel.make(locale: .ja)).contains("<html lang=\"ja\">"))
    }

    func testEmptyModelSaysNoDataInEverySection() {
        for locale in ReportLocale.allCases {
            let model = ReportModel(
                title: "Empty", locale: locale, asOf: "2024-12-31", reportCurrency: "USD", currencyMinorUnits: 2)
            let noData = Localizer(locale: locale)(.noData)
            let md = MarkdownReport.render(model)
            let html = HTMLReport.render(model)
            // kpis, movements, retention, survival, segments, cox, reasons, activation, success phases,
            // accounts at risk, impact, data quality, provenance
            XCTAssertEqual(md.components(separatedBy: Escaping.markdown(noData)).count - 1, 13, md)
            XCTAssertEqual(html.components(separatedBy: noData).count - 1, 13)
            XCTAssertFalse(html.contains("<svg"))
        }
    }

    func testLineDiffShowsFirstDifference() {
        let diff = Self.lineDiff(expected: "a\nb\nc", actual: "a\nB\nc")
        XCTAssertTrue(diff.contains("- 2: b"))
        XCTAssertTrue(diff.contains("+ 2: B"))
    }
}
