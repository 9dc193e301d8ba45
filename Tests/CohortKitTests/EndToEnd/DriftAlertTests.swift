import Foundation
import XCTest

@testable import CohortKit

/// A project with one cohort of 100 customers a month from 2023-01 to 2024-11. Every cohort
/// loses 5 customers in its first month, except 2024-11, planted to lose 40. Its newest cell (M1
/// in 2024-12) sits far below its predecessors' band (95%, spread 0, binomial floor
/// √(0.95 × 0.05 / 100) = 2.2 points; with the 99% level shared by the few dozen cells judged in
/// the run, z ≈ 3.7 and the band starts near 87%), so the first report raises one
/// drift alert and, with the check `drift_alerts` max 0, exits 3. A rerun with nothing changed
/// compares with the history the first run left and raises nothing.
final class DriftAlertTests: XCTestCase {
    func testPlantedCohortRaisesOneAlertAndARerunRaisesNothing() throws {
        let root = try E2EFixture.emptyFolder("drift", for: self)
        var customers = "customer_id,acquisition_channel\n"
        var subs = "subscription_id,customer_id,start_date,end_date,mrr\n"
        for m in 0..<23 {
            let month = Month(year: 2023, month: 1) + m
            let churners = month == Month(year: 2024, month: 11) ? 40 : 5
            for i in 0..<100 {
                let id = "C\(month.description)-\(i)"
                customers += "\(id),web\n"
                let start = month.firstDay + (i % 20)
                // Churners end 33 days after starting: active at s(m), gone by s(m + 1).
                subs += "S\(id),\(id),\(start),\(i < churners ? (start + 33).description : ""),1000\n"
            }
        }
        try customers.write(to: root.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        try subs.write(to: root.appendingPathComponent("subscriptions.csv"), atomically: true, encoding: .utf8)
        try """
        {"version": 1, "as_of": "2024-12-31", "work_dir": "work", "reports_dir": "reports",
         "currency": {"report": "JPY", "minor_units": {"JPY": 0}},
         "sources": {"customers": {"path": "customers.csv"}, "subscriptions": {"path": "subscriptions.csv", "currency": "JPY"}},
         "attribution": {"dimensions": ["acquisition_channel"]},
         "report": {"checks": [{"metric": "drift_alerts", "max": 0}]}}
        """.write(to: root.appendingPathComponent("pipeline.json"), atomically: true, encoding: .utf8)
        let config = root.appendingPathComponent("pipeline.json").path
        for stage in ["ingest", "normalize", "cohort", "churn-attribution"] {
            let r = try StageProcess.run(stage, ["--config", config, "--quiet"])
            XCTAssertEqual(r.exitCode, 0, "\(stage): \(r.stderr)")
        }
        let drift = try String(contentsOf: root.appendingPathComponent("work/cohort/drift.jsonl"), encoding: .utf8)
        let rows = drift.split(separator: "\n")
        XCTAssertEqual(rows.count, 2, drift)  // (all) and web: the same single cohort
        XCTAssertTrue(
            rows[0].hasPrefix(#"{"cohort":"2024-11","channel":"(all)","offset":1,"logo_retention":0.6,"#),
            String(rows[0]))

        let first = try StageProcess.run("report", ["--config", config, "--quiet"])
        XCTAssertEqual(first.exitCode, 3, first.stderr)
        let summary = try String(contentsOf: root.appendingPathComponent("reports/summary.md"), encoding: .utf8)
        XCTAssertTrue(summary.contains("## ⚠️ Drift alerts"), summary)
        XCTAssertTrue(summary.contains("2024-11 (All channels) retained 60.0% at M1"), summary)
        XCTAssertLessThan(
            summary.range(of: "Drift alerts")?.lowerBound ?? summary.endIndex,
            summary.range(of: "Headline metrics")?.lowerBound ?? summary.startIndex)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: root.appendingPathComponent("reports/history/2024-12-31.json").path))

        let second = try StageProcess.run("report", ["--config", config, "--quiet"])
        XCTAssertEqual(second.exitCode, 0, second.stderr)
        let again = try String(contentsOf: root.appendingPathComponent("reports/summary.md"), encoding: .utf8)
        XCTAssertFalse(again.contains("⚠️"), again)
        XCTAssertTrue(
            again.contains("| Drift alerts | ≥") || again.contains("| Drift alerts | ≤ 0 | 0 | ✅ Passed |"), again)
    }

    /// An edited history file with a value no run writes (1e15 for a ratio, an infinite or
    /// negative value) is read as if the run had no such value: no alert of "∞%".
    func testAHistoryValueOutsideTheMetricsRangeIsIgnored() throws {
        let text = """
            {"as_of":"2024-11-30","kpis":{"nrr_trailing_12m":1e15,"grr_trailing_12m":-0.5,\
            "logo_churn_annual":0.12,"mrr":1e300},"newest_offset":{"(all) | 2024-10":-3,"(all) | 2024-09":4}}
            """
        let history = try XCTUnwrap(ReportHistory(json: JSONParser.parse(Array(text.utf8))))
        XCTAssertEqual(history.kpis.map(\.0), ["logo_churn_annual"])
        XCTAssertEqual(history.newestOffset, ["(all)\u{1F}2024-09": 4])
        let now = [HeadlineKPI(id: "nrr_trailing_12m", value: 1.02, kind: .percent, definitionKey: "")]
        XCTAssertEqual(RunDrift.kpiMoves(now, previous: history, points: 5), [])
    }

    func testKPIMovesBeyondThePointsAreAlerts() {
        let previous = ReportHistory(
            asOf: "2024-11-30", kpis: [("nrr_trailing_12m", 1.10), ("logo_churn_annual", 0.12)],
            newestOffset: ["(all)\u{1F}2024-10": 1])
        let now = [
            HeadlineKPI(id: "nrr_trailing_12m", value: 1.02, kind: .percent, definitionKey: ""),
            HeadlineKPI(id: "logo_churn_annual", value: 0.14, kind: .percent, definitionKey: ""),
            HeadlineKPI(id: "mrr", value: 9e9, kind: .money, definitionKey: ""),
        ]
        let moves = RunDrift.kpiMoves(now, previous: previous, points: 5)
        XCTAssertEqual(moves, [KPIMove(id: "nrr_trailing_12m", before: 1.10, after: 1.02, previousAsOf: "2024-11-30")])
        XCTAssertTrue(RunDrift.kpiMoves(now, previous: nil, points: 5).isEmpty)
        let alerts = [
            DriftAlertRow(
                cohort: "2024-10", channel: "(all)", offset: 1, logo: 0.5, bandLower: 0.8, predecessorsRetention: 0.9),
            DriftAlertRow(
                cohort: "2024-10", channel: "(all)", offset: 2, logo: 0.5, bandLower: 0.8, predecessorsRetention: 0.9),
        ]
        XCTAssertEqual(RunDrift.newCohortAlerts(alerts, previous: previous).map(\.offset), [2])
        let round = ReportHistory(json: previous.json)
        XCTAssertEqual(round, previous)
    }
}
