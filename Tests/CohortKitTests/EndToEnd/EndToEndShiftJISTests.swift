import Foundation
import XCTest

/// A Japanese Excel export (Shift_JIS, Japanese headers and channel names) goes through all five
/// stages, and the names reach the JSONL outputs and both reports intact.
final class EndToEndShiftJISTests: XCTestCase {
    func testJapaneseNamesSurviveEveryStage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sjis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var customers = "顧客ID,獲得チャネル,地域\r\n"
        var subs = "subscription_id,customer_id,start_date,end_date,mrr\r\n"
        for i in 1...12 {
            let channel = ["展示会", "紹介", "ウェブ広告"][i % 3]
            customers += "K\(i),\(channel),\(i % 2 == 0 ? "関東" : "関西")\r\n"
            subs += "S\(i),K\(i),2024/0\(1 + i % 6)/01,\(i % 4 == 0 ? "2024/10/01" : ""),\(10_000 + i * 100)\r\n"
        }
        guard let sjis = customers.data(using: .shiftJIS) else {
            throw XCTSkip("Shift_JIS encoding unavailable in Foundation")
        }
        try sjis.write(to: dir.appendingPathComponent("customers.csv"))
        try subs.write(to: dir.appendingPathComponent("subscriptions.csv"), atomically: true, encoding: .utf8)
        let config = """
            {"version": 1, "as_of": "2024-12-31", "work_dir": "work", "reports_dir": "reports",
             "currency": {"report": "JPY", "minor_units": {"JPY": 0}},
             "sources": {
               "customers": {"path": "customers.csv", "encoding": "shift_jis",
                             "columns": {"customer_id": "顧客ID", "acquisition_channel": "獲得チャネル", "region": "地域"}},
               "subscriptions": {"path": "subscriptions.csv", "date_format": "yyyy/MM/dd"}},
             "attribution": {"dimensions": ["acquisition_channel", "region"], "min_segment_customers": 1},
             "report": {"locale": "ja"}}
            """
        try config.write(to: dir.appendingPathComponent("pipeline.json"), atomically: true, encoding: .utf8)
        try StageProcess.runAll(config: dir.appendingPathComponent("pipeline.json").path)

        let customersOut = try Output.lines(dir.appendingPathComponent("work/normalize/customers.jsonl"))
        XCTAssertEqual(Set(customersOut.compactMap { $0["channel"] as? String }), ["展示会", "紹介", "ウェブ広告"])
        XCTAssertEqual(
            Set(customersOut.compactMap { ($0["attributes"] as? [String: Any])?["region"] as? String }), ["関東", "関西"])
        let segments = try Output.lines(dir.appendingPathComponent("work/churn-attribution/segments.jsonl"))
        XCTAssertTrue(segments.contains { $0["value"] as? String == "ウェブ広告" })
        for report in ["report.md", "report.html"] {
            let text = try Output.text(dir.appendingPathComponent("reports/\(report)"))
            for name in ["展示会", "紹介", "ウェブ広告", "関東", "関西"] {
                XCTAssertTrue(text.contains(name), "\(report) lacks \(name)")
            }
            XCTAssertFalse(text.contains("\u{FFFD}"), "\(report) has replacement characters")
        }
    }
}
