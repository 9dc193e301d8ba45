import Foundation
import XCTest

@testable import CohortKit

/// An upstream output edited together with its manifest (so the lineage check passes) holding
/// values no stage writes: the reading stage stops with a data error naming the file, line and
/// field, or reads it without harm, and never traps or hangs.
final class EndToEndForgedUpstreamTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try E2EFixture.copy("basic", for: self)
        for r in try StageProcess.runAll(config: "pipeline.json", cwd: dir) where r.exitCode != 0 {
            throw XCTSkip("the fixture pipeline failed: \(r.stderr)")
        }
    }

    private func url(_ p: String) -> URL { dir.appendingPathComponent(p) }

    /// Rewrites line `index` (0-based) of `stage`/`file` with `edit`, then the size and digests
    /// the stage's manifest lists for it.
    private func forge(_ stage: String, _ file: String, line index: Int, _ edit: (inout [String: Any]) -> Void) throws {
        let path = url("work/\(stage)/\(file)")
        var lines = try Output.text(path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var row = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[index].utf8)) as? [String: Any])
        edit(&row)
        lines[index] = String(
            decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self)
        try Data(lines.joined(separator: "\n").utf8).write(to: path)
        try reseal(stage, file)
    }

    private func reseal(_ stage: String, _ file: String) throws {
        let path = url("work/\(stage)/\(file)").path
        let folder = url("work/\(stage)").path
        var m = try Manifest.read(stage: stage, directory: folder)
        let k = try XCTUnwrap(m.outputs.firstIndex { $0.path.hasSuffix("/" + file) })
        m.outputs[k].bytes = FilePaths.size(path)
        m.outputs[k].sha256 = try SHA256.hex(ofFile: path)
        m.outputs[k].xxh64 = try XXH64.hex(ofFile: path)
        try m.write(toDirectory: folder)
    }

    private func lineIndex(_ stage: String, _ file: String, where match: ([String: Any]) -> Bool) throws -> Int {
        let rows = try Output.lines(url("work/\(stage)/\(file)"))
        return try XCTUnwrap(rows.firstIndex(where: match), "\(file): no such row")
    }

    private func assertRefused(_ stage: String, mentions: [String], _ label: String) throws {
        let r = try StageProcess.run(stage, ["--config", "pipeline.json"], cwd: dir)
        XCTAssertFalse(r.signaled, "\(label): \(stage) died of a signal: \(r.stderr)")
        assertUserMessage(r, exit: 1, mentions: mentions, label)
    }

    /// Amounts are not bounded (the stages add them up to 2^63 with overflow checks): movements
    /// at the 64-bit limits are drawn, not added up past them.
    func testAmountsAtTheLimitsAreDrawn() throws {
        let i = try lineIndex("cohort", "movements.jsonl") { $0["channel"] as? String == "(all)" }
        try forge("cohort", "movements.jsonl", line: i) {
            $0["mrr_start_minor"] = -1
            $0["mrr_end_minor"] = Int64.max
            $0["new_minor"] = Int64.max
            $0["expansion_minor"] = 1
            $0["churn_minor"] = Int64.max
            $0["contraction_minor"] = 5
        }
        let r = try StageProcess.run("report", ["--config", "pipeline.json"], cwd: dir)
        XCTAssertFalse(r.signaled, r.stderr)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
    }

    /// What a run can write is read: 120 customers at the MRR limit of one subscription (10^15
    /// minor units each, 1.2 × 10^17 in all) go through every stage, and summary.json writes the
    /// total as an integer.
    func testAmountsAtTheSubscriptionLimitRunThroughEveryStage() throws {
        let project = try E2EFixture.emptyFolder("limit", for: self)
        let raw = project.appendingPathComponent("raw")
        try FileManager.default.createDirectory(at: raw, withIntermediateDirectories: true)
        var customers = "customer_id,signup_date,acquisition_channel\n"
        var subscriptions = "subscription_id,customer_id,start_date,end_date,mrr,currency\n"
        for i in 0..<120 {
            customers += "C\(i),2024-01-01,\(i % 2 == 0 ? "a" : "b")\n"
            subscriptions +=
                "S\(i),C\(i),2024-01-0\(1 + i % 9),\(i % 3 == 0 ? "2024-03-15" : ""),1000000000000000,JPY\n"
        }
        try Data(customers.utf8).write(to: raw.appendingPathComponent("customers.csv"))
        try Data(subscriptions.utf8).write(to: raw.appendingPathComponent("subscriptions.csv"))
        let config = """
            {"version": 1, "as_of": "2024-04-30", "work_dir": "work", "reports_dir": "reports",
             "currency": {"report": "JPY"},
             "sources": {"customers": {"path": "raw/customers.csv", "format": "csv"},
                         "subscriptions": {"path": "raw/subscriptions.csv", "format": "csv"}},
             "attribution": {"dimensions": ["acquisition_channel"], "min_segment_customers": 5}}
            """
        try Data(config.utf8).write(to: project.appendingPathComponent("pipeline.json"))
        _ = try StageProcess.runAll(config: "pipeline.json", cwd: project)
        let summary = try Output.text(project.appendingPathComponent("reports/summary.json"))
        XCTAssertTrue(
            summary.contains("\"value\" : 80000000000000000") || summary.contains("\"value\": 80000000000000000"),
            summary)
    }

    func testCountsBeyondAnyRunStopTheReport() throws {
        let i = try lineIndex("cohort", "triangle.jsonl") { $0["channel"] as? String == "(all)" }
        try forge("cohort", "triangle.jsonl", line: i) { $0["customers"] = Int64.max }
        try assertRefused("report", mentions: ["triangle.jsonl", "customers", "10^12"], "triangle")
    }

    func testAProbabilityAboveOneStopsTheReport() throws {
        try forge("churn-attribution", "segments.jsonl", line: 0) { $0["churn_prob_early_upper"] = 4_294_967_296 }
        try assertRefused("report", mentions: ["segments.jsonl", "churn_prob_early_upper", "0 to 1"], "segments")
    }

    func testADurationBeyondInt32StopsTheMarts() throws {
        let i = try lineIndex("normalize", "customers.jsonl") { $0["converted"] as? Bool == true }
        try forge("normalize", "customers.jsonl", line: i) { $0["duration_days"] = 2_147_483_648 }
        for stage in ["cohort", "churn-attribution"] {
            try assertRefused(stage, mentions: ["customers.jsonl", "duration_days"], stage)
        }
    }

    /// Values the stages read without harm: a survival mark far past the offsets is skipped, a
    /// customer's intervals out of start order give the same snapshots.
    func testHarmlessEditsAreRead() throws {
        let mark = try lineIndex("cohort", "survival.jsonl") { $0["row"] as? String == "mark" }
        try forge("cohort", "survival.jsonl", line: mark) { $0["month_mark"] = 2_147_483_648 }
        let report = try StageProcess.run("report", ["--config", "pipeline.json"], cwd: dir)
        XCTAssertEqual(report.exitCode, 0, report.stderr)

        let path = url("work/normalize/intervals.jsonl")
        var lines = try Output.text(path).split(separator: "\n").map(String.init)
        let ids = lines.map {
            try? XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["customer_id"]
                as? String
        }
        let pair = try XCTUnwrap(ids.indices.dropFirst().first { ids[$0] != nil && ids[$0] == ids[$0 - 1] })
        lines.swapAt(pair - 1, pair)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: path)
        try reseal("normalize", "intervals.jsonl")
        for stage in ["cohort", "churn-attribution"] {
            let r = try StageProcess.run(stage, ["--config", "pipeline.json"], cwd: dir)
            XCTAssertFalse(r.signaled, r.stderr)
            XCTAssertEqual(r.exitCode, 0, "\(stage): \(r.stderr)")
        }
    }
}
