import Foundation
import XCTest

/// A Japanese report made by the stage executables words in Japanese what the stages recorded in
/// English beside their values: the Cox model's notes.
final class EndToEndJapaneseReportTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try E2EFixture.copy("basic", for: self)
        try replace("pipeline.json", "\"locale\": \"en\"", "\"locale\": \"ja\"")
    }

    private func url(_ p: String) -> URL { dir.appendingPathComponent(p) }

    private func replace(_ file: String, _ a: String, _ b: String) throws {
        try E2EFixture.replace(in: dir, file, a, b)
    }

    /// Nobody churned: the Cox model has no events, which cox_model.json records as a note beside
    /// its English message, and the Japanese report words it.
    func testTheCoxModelsNotesReadInJapanese() throws {
        for end in ["2024-03-15", "2024-04-05", "2024-04-01"] { try replace("raw/subscriptions.csv", ",\(end),", ",,") }
        let results = try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        XCTAssertEqual(results.map(\.exitCode), [0, 0, 0, 0, 0], results.map(\.stderr).joined())
        let model = try Output.object(url("work/churn-attribution/cox_model.json"))
        XCTAssertEqual(model["converged"] as? Bool, false)
        XCTAssertEqual((model["notes"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }, ["no_events"])
        XCTAssertTrue((model["message"] as? String)?.hasPrefix("no events: ") ?? false)
        let sentence = "モデルは当てはめていません。解約した顧客がいないため、比べるハザードがありません。"
        XCTAssertTrue(try Output.text(url("reports/report.md")).contains(sentence))
        XCTAssertTrue(try Output.text(url("reports/report.html")).contains(sentence))
        XCTAssertFalse(try Output.text(url("reports/report.html")).contains("partial likelihood"))
    }
}
