import Foundation
import XCTest

@testable import CohortKit

/// Runs the five stage executables on `Fixtures/e2e/basic` and checks their outputs against
/// values worked out by hand.
///
/// The fixture (as_of 2024-04-30, report currency JPY, USD at 150, grace_days 0):
///
///     customer channel  subscriptions (start, end exclusive, MRR)                 cancellation
///     C1       web      core 2024-01-10 .. open        1000 JPY
///     C2       web      core 2024-01-15 .. 2024-03-15  2000 JPY                   too_expensive
///     C3       web      core 2024-02-01 .. open        1500 JPY, addon 2024-03-01 .. open 500 JPY
///     C4       partner  core 2024-01-20 .. open        9.99 USD = 1498.5 JPY -> 1498 (half to even)
///     C5       partner  core 2024-02-10 .. 2024-04-05  3000 JPY
///     C6       partner  core 2024-03-05 .. 2024-04-01  2000 JPY
///     C7       web      (none: never converted)
///
/// Rejected on purpose: customers C8 (signup "not-a-date"); subscriptions S9 (start 2024-13-01)
/// and S10 (mrr -5); the event of C99 (unknown customer). C4's customer row appears twice,
/// identically: a duplicate, not a reject.
///
/// Month-end MRR (JPY): 01-31: C1 1000, C2 2000, C4 1498 = 4498.
/// 02-29: + C3 1500, C5 3000 = 8998.   03-31: C2 gone, C3 2000, C6 2000 = 9498.
/// 04-30: C5 and C6 gone = C1 1000 + C3 2000 + C4 1498 = 4498.
final class EndToEndPipelineTests: XCTestCase {
    var dir: URL!
    var work: URL { dir.appendingPathComponent("work") }

    override func setUpWithError() throws {
        dir = try E2EFixture.copy("basic", for: self)
        // Run from another folder: relative paths must resolve against the config's folder.
        try StageProcess.runAll(
            config: dir.appendingPathComponent("pipeline.json").path, cwd: FileManager.default.temporaryDirectory)
    }

    func testIngestCountsRejectsAndReconciliation() throws {
        let m = try Output.object(work.appendingPathComponent("ingest/ingest.manifest.json"))
        let rec = (m["reconciliation"] as? [[String: Any]]) ?? []
        // (read, written, rejected, duplicates) per source, from the table above.
        let expected: [String: [Int]] = [
            "customers": [9, 7, 1, 1],
            "subscriptions": [9, 7, 2, 0],
            "cancellations": [1, 1, 0, 0],
            "events": [4, 3, 1, 0],
        ]
        XCTAssertEqual(Set(rec.compactMap { $0["source"] as? String }), Set(expected.keys))
        for r in rec {
            let src = r["source"] as? String ?? ""
            let got = ["read", "written", "rejected", "duplicates"].map { r[$0] as? Int ?? -1 }
            XCTAssertEqual(got, expected[src], src)
            XCTAssertEqual(got[0], got[1] + got[2] + got[3], "\(src): read = written + rejected + duplicates")
        }
        // Every output row count in the manifest is the file's real line count; its path is
        // recorded relative to the configuration's folder although the stages ran from another.
        for o in (m["outputs"] as? [[String: Any]]) ?? [] {
            let path = o["path"] as? String ?? ""
            XCTAssertTrue(path.hasPrefix("work/ingest/"), path)
            let url = dir.appendingPathComponent(path)
            let lines = try Output.text(url).split(separator: "\n").count
            XCTAssertEqual(o["rows"] as? Int, lines, path)
        }
        let rejects = try Output.lines(work.appendingPathComponent("ingest/rejects.jsonl"))
        XCTAssertEqual(rejects.count, 4)
        let byField = Dictionary(grouping: rejects) { "\($0["source"] ?? "")/\($0["field"] ?? "")" }.mapValues(\.count)
        XCTAssertEqual(
            byField,
            [
                "customers/signup_date": 1, "subscriptions/start_date": 1, "subscriptions/mrr": 1,
                "events/customer_id": 1,
            ])
        for r in rejects {
            for k in ["source", "line", "field", "value", "reason", "raw"] {
                XCTAssertNotNil(r[k], "reject lacks \(k)")
            }
        }
        // Line numbers count the header as line 1: S9 is the 9th line of subscriptions.csv.
        let s9 = Output.row(rejects, ["field": "start_date"])
        XCTAssertEqual(s9["line"] as? Int, 9)
        XCTAssertEqual(s9["value"] as? String, "2024-13-01")
        let subs = try Output.lines(work.appendingPathComponent("ingest/subscriptions.jsonl"))
        XCTAssertEqual(
            Output.row(subs, ["customer_id": "C4"])["mrr_minor"] as? Int, 1498, "9.99 USD x 150 = 1498.5, half to even")
    }

    func testNormalizeCustomers() throws {
        let rows = try Output.lines(work.appendingPathComponent("normalize/customers.jsonl"))
        XCTAssertEqual(rows.compactMap { $0["customer_id"] as? String }, ["C1", "C2", "C3", "C4", "C5", "C6", "C7"])
        // (cohort, channel, first_churn, duration_days, churned, mrr_at_as_of_minor); durations:
        // C1 censored 01-10..04-30 inclusive = 22+29+31+30 = 112; C2 01-15 -> 03-15 = 31+29 = 60;
        // C3 censored 29+31+30 = 90; C4 censored 12+29+31+30 = 102; C5 02-10 -> 04-05 = 29+26 = 55;
        // C6 03-05 -> 04-01 = 27.
        let expected: [String: (String, String, String?, Int, Bool, Int)] = [
            "C1": ("2024-01", "web", nil, 112, false, 1000),
            "C2": ("2024-01", "web", "2024-03-15", 60, true, 0),
            "C3": ("2024-02", "web", nil, 90, false, 2000),
            "C4": ("2024-01", "partner", nil, 102, false, 1498),
            "C5": ("2024-02", "partner", "2024-04-05", 55, true, 0),
            "C6": ("2024-03", "partner", "2024-04-01", 27, true, 0),
        ]
        for (id, e) in expected {
            let r = Output.row(rows, ["customer_id": id])
            XCTAssertEqual(r["cohort"] as? String, e.0, id)
            XCTAssertEqual(r["channel"] as? String, e.1, id)
            XCTAssertEqual(r["first_churn"] as? String, e.2, id)
            if e.2 == nil { XCTAssertTrue(r["first_churn"] is NSNull, "\(id) first_churn must be null") }
            XCTAssertEqual(r["duration_days"] as? Int, e.3, id)
            XCTAssertEqual(r["churned"] as? Bool, e.4, id)
            XCTAssertEqual(r["mrr_at_as_of_minor"] as? Int, e.5, id)
            XCTAssertEqual(r["converted"] as? Bool, true, id)
        }
        let c7 = Output.row(rows, ["customer_id": "C7"])
        XCTAssertEqual(c7["converted"] as? Bool, false)
        XCTAssertTrue(c7["cohort"] is NSNull)
        XCTAssertTrue(c7["duration_days"] is NSNull)
        XCTAssertEqual(c7["mrr_at_as_of_minor"] as? Int, 0)
        // C3 has two open intervals (core and addon); everyone else one.
        let intervals = try Output.lines(work.appendingPathComponent("normalize/intervals.jsonl"))
        XCTAssertEqual(intervals.count, 7)
        XCTAssertEqual(intervals.filter { $0["customer_id"] as? String == "C3" }.count, 2)
        XCTAssertTrue(
            Output.row(intervals, ["customer_id": "C1"])["end"] is NSNull, "an open interval is written with end null")
    }

    func testTriangleCells() throws {
        let rows = try Output.lines(work.appendingPathComponent("cohort/triangle.jsonl"))
        func cell(_ cohort: String, _ channel: String, _ k: Int, line: UInt = #line) -> [String: Any] {
            Output.row(rows, ["cohort": cohort, "channel": channel, "offset": "\(k)"], line: line)
        }
        // Cohort 2024-01 (C1, C2, C4) at 03-31: C2 churned on 03-15. MRR 4498 -> 1000 + 1498.
        let jan2 = cell("2024-01", "(all)", 2)
        XCTAssertEqual(jan2["customers"] as? Int, 3)
        XCTAssertEqual(jan2["active"] as? Int, 2)
        XCTAssertEqual(jan2["mrr_start_minor"] as? Int, 4498)
        XCTAssertEqual(jan2["mrr_minor"] as? Int, 2498)
        XCTAssertEqual(try XCTUnwrap(jan2["logo_retention"] as? Double), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(jan2["revenue_retention"] as? Double), 2498.0 / 4498, accuracy: 1e-12)
        // Cohort 2024-02 (C3, C5): 02-29 4500; 03-31 C3 expanded to 2000, C5 3000 = 5000.
        // GRR caps each customer at its start: min(2000, 1500) + 3000 = 4500 -> 1.
        let feb1 = cell("2024-02", "(all)", 1)
        XCTAssertEqual(feb1["mrr_start_minor"] as? Int, 4500)
        XCTAssertEqual(feb1["mrr_minor"] as? Int, 5000)
        XCTAssertEqual(try XCTUnwrap(feb1["revenue_retention"] as? Double), 10.0 / 9, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(feb1["gross_revenue_retention"] as? Double), 1.0, accuracy: 1e-12)
        // 04-30: C5 gone; C3 2000 of 4500, capped 1500 of 4500.
        let feb2 = cell("2024-02", "(all)", 2)
        XCTAssertEqual(feb2["active"] as? Int, 1)
        XCTAssertEqual(try XCTUnwrap(feb2["revenue_retention"] as? Double), 4.0 / 9, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(feb2["gross_revenue_retention"] as? Double), 1.0 / 3, accuracy: 1e-12)
        // Cohort 2024-03 partner (C6) lost everything by 04-30; offset 2 (05-31) is after as_of.
        let mar1 = cell("2024-03", "partner", 1)
        XCTAssertEqual(mar1["active"] as? Int, 0)
        XCTAssertEqual(mar1["logo_retention"] as? Double, 0)
        XCTAssertTrue(
            rows.filter { $0["cohort"] as? String == "2024-03" && $0["offset"] as? Int == 2 }.isEmpty,
            "incomplete cells are absent")
        // Web 2024-01 (C1, C2) starts at 3000.
        XCTAssertEqual(cell("2024-01", "web", 0)["mrr_start_minor"] as? Int, 3000)
        // Weighted over complete cells only: k=1 -> (3+2+0)/(3+2+1); k=2 -> (2+1)/(3+2); k=3 -> 2/3.
        for (k, active, customers) in [(1, 5, 6), (2, 3, 5), (3, 2, 3)] {
            let w = cell("(weighted)", "(all)", k)
            XCTAssertEqual(w["active"] as? Int, active, "weighted k=\(k)")
            XCTAssertEqual(w["customers"] as? Int, customers, "weighted k=\(k)")
        }
    }

    func testMovementsMonth() throws {
        let rows = try Output.lines(work.appendingPathComponent("cohort/movements.jsonl"))
        // March (02-29 -> 03-31), all: start 8998; new C6 +2000; expansion C3 +500; churn C2 -2000.
        let mar = Output.row(rows, ["month": "2024-03", "channel": "(all)"])
        let expected: [String: Int] = [
            "mrr_start_minor": 8998, "new_minor": 2000, "expansion_minor": 500, "contraction_minor": 0,
            "churn_minor": 2000,
            "reactivation_minor": 0, "mrr_end_minor": 9498, "customers_start": 5, "customers_end": 5,
            "new_customers": 1,
            "reactivated_customers": 0, "churned_customers": 1,
        ]
        for (k, v) in expected { XCTAssertEqual(mar[k] as? Int, v, "2024-03 \(k)") }
        // April, partner: C4 1498 + C5 3000 + C6 2000 = 6498 -> 1498; C5 and C6 churn.
        let apr = Output.row(rows, ["month": "2024-04", "channel": "partner"])
        XCTAssertEqual(apr["mrr_start_minor"] as? Int, 6498)
        XCTAssertEqual(apr["churn_minor"] as? Int, 5000)
        XCTAssertEqual(apr["churned_customers"] as? Int, 2)
        XCTAssertEqual(apr["mrr_end_minor"] as? Int, 1498)
        // The identity holds on every row.
        for r in rows {
            let v = { (k: String) in r[k] as? Int ?? 0 }
            XCTAssertEqual(
                v("mrr_end_minor"),
                v("mrr_start_minor") + v("new_minor") + v("reactivation_minor") + v("expansion_minor")
                    - v("contraction_minor") - v("churn_minor"), "\(r["month"] ?? "") \(r["channel"] ?? "")")
        }
    }

    func testSurvival() throws {
        let rows = try Output.lines(work.appendingPathComponent("cohort/survival.jsonl"))
        // All six converted customers, durations 27e 55e 60e 90c 102c 112c.
        // t1 = round(30.4375) = 30: S = 5/6, at risk 5 (all but 27), 1 event.
        let m1 = Output.row(rows, ["channel": "(all)", "month_mark": "1"])
        XCTAssertEqual(m1["day"] as? Int, 30)
        XCTAssertEqual(m1["at_risk"] as? Int, 5)
        XCTAssertEqual(m1["events"] as? Int, 1)
        XCTAssertEqual(try XCTUnwrap(m1["survival"] as? Double), 5.0 / 6, accuracy: 1e-12)
        // Greenwood, log(-log): V = (1/(6*5)) / ln(5/6)^2, lower = exp(-exp(ln(-ln S) + z sqrt V)):
        // python3 -c "from math import *; z=1.959963984540054; S=5/6; V=(1/30)/log(S)**2;
        //             print(exp(-exp(log(-log(S))+z*sqrt(V))), exp(-exp(log(-log(S))-z*sqrt(V))))"
        XCTAssertEqual(try XCTUnwrap(m1["ci_lower"] as? Double), 0.27312284992835584, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(m1["ci_upper"] as? Double), 0.9747124266908935, accuracy: 1e-9)
        // t2 = 61: S = 5/6 * 4/5 * 3/4 = 1/2, at risk 3 (90, 102, 112), 3 events.
        let m2 = Output.row(rows, ["channel": "(all)", "month_mark": "2"])
        XCTAssertEqual(m2["day"] as? Int, 61)
        XCTAssertEqual(m2["at_risk"] as? Int, 3)
        XCTAssertEqual(try XCTUnwrap(m2["survival"] as? Double), 0.5, accuracy: 1e-12)
        // Medians: (all) 60 (S hits exactly 1/2); partner 27e 55e 102c: 2/3 then 1/3 -> 55;
        // web 60e among 3: S = 2/3 at the end -> null.
        XCTAssertEqual(Output.row(rows, ["channel": "(all)", "row": "median"])["median_days"] as? Int, 60)
        XCTAssertEqual(Output.row(rows, ["channel": "partner", "row": "median"])["median_days"] as? Int, 55)
        XCTAssertTrue(Output.row(rows, ["channel": "web", "row": "median"])["median_days"] is NSNull)
        let allMedian = Output.row(rows, ["channel": "(all)", "row": "median"])
        XCTAssertEqual(allMedian["customers"] as? Int, 6)
        XCTAssertEqual(allMedian["churned"] as? Int, 3)
    }

    func testReportFilesAndSummary() throws {
        let reports = dir.appendingPathComponent("reports")
        for f in ["report.md", "report.html", "summary.json"] {
            let size =
                (try? FileManager.default.attributesOfItem(atPath: reports.appendingPathComponent(f).path)[.size]
                    as? Int) ?? 0
            XCTAssertGreaterThan(size, 0, "\(f) missing or empty")
        }
        let s = try Output.object(reports.appendingPathComponent("summary.json"))
        XCTAssertEqual(s["as_of"] as? String, "2024-04-30")
        XCTAssertEqual(s["currency"] as? String, "JPY")
        let kpis = try XCTUnwrap(s["kpis"] as? [String: [String: Any]])
        func value(_ id: String) -> Any? { kpis[id]?["value"] }
        // Monthly logo churn: Feb 0/3, Mar 1/5, Apr 2/5 (January has no base) -> mean 0.2;
        // annual 1 - 0.8^12 = 0.931280523264.
        XCTAssertEqual(try XCTUnwrap(value("logo_churn_monthly") as? Double), 0.2, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(value("logo_churn_annual") as? Double), 0.931280523264, accuracy: 1e-12)
        XCTAssertEqual(value("active_customers") as? Int, 3)
        XCTAssertEqual(value("mrr_minor") as? Int, 4498)
        // ARPA 4498 / 3 = 1499.33; LTV by churn = ARPA / 0.2 = 7496.67 from the unrounded ARPA:
        // whole yen, as every _minor value.
        XCTAssertEqual(value("arpa_minor") as? Int, 1499)
        XCTAssertEqual(value("ltv_churn_minor") as? Int, 7497)
        // The values go by kpis.json's names, the ones checks use (activation_rate is activation's).
        let kpisFile = try Output.object(dir.appendingPathComponent("work/cohort/kpis.json"))
        for id in kpis.keys where id != "activation_rate" {
            XCTAssertNotNil(kpisFile[id], "summary.json's \(id) is not a kpis.json name")
        }
        for metric in MetricCatalog.checkable.map(\.id) where metric != "drift_alerts" {
            XCTAssertNotNil(kpis[metric], "check metric \(metric) missing from summary.json")
        }
        // Whole money and counts are integers in the file.
        let text = try Output.text(reports.appendingPathComponent("summary.json"))
        XCTAssertTrue(text.contains("\"value\" : 4498,") || text.contains("\"value\": 4498,"), text)
        // Only C1 created a report within 30 days of starting (C3's came after 79 days): 1 of 6.
        XCTAssertEqual(try XCTUnwrap(value("activation_rate") as? Double), 1.0 / 6, accuracy: 1e-12)
        // No customer was paying 12 months before as_of: the trailing-12-month base is empty.
        XCTAssertTrue(value("nrr_trailing_12m") is NSNull)
        // Annual logo churn is defined, but its monthly bases (3, 5, 5: a mean of 4) are too few to band it: no verdict,
        // and the report says why (docs/metrics.md#customer-success-bars).
        XCTAssertNotNil(value("logo_churn_annual") as? Double)
        XCTAssertEqual(kpis["logo_churn_annual"]?["band"] as? String, "none")
        // ... and summary.json says why, for a CI job: 4 customers, at least 30 needed.
        let tooFew = try XCTUnwrap(kpis["logo_churn_annual"]?["too_few"] as? [String: Any])
        XCTAssertEqual(tooFew["customers"] as? Int, 4)
        XCTAssertEqual(tooFew["at_least"] as? Int, 30)
        XCTAssertNil(kpis["mrr_minor"]?["too_few"])
        let checks = try XCTUnwrap(s["checks"] as? [[String: Any]])
        XCTAssertEqual(checks.count, 1)
        XCTAssertEqual(checks.first?["passed"] as? Bool, true)
        // The bounds as numbers (none configured is null) beside the threshold's text.
        XCTAssertEqual(checks.first?["max"] as? Double, 0.5)
        XCTAssertTrue(checks.first?["min"] is NSNull)
        XCTAssertEqual(checks.first?["actual"] as? Double ?? -1, 0.2, accuracy: 1e-12)
        XCTAssertEqual(s["passed"] as? Bool, true)
        let md = try Output.text(reports.appendingPathComponent("report.md"))
        XCTAssertTrue(md.contains("E2E basic"))
        XCTAssertTrue(md.contains("Too few customers to judge ("), md)
    }

    func testEveryManifestReconcilesAndNamesItsStage() throws {
        for s in StageProcess.stages {
            let m = try Output.object(work.appendingPathComponent("\(s)/\(s).manifest.json"))
            XCTAssertEqual(m["stage"] as? String, s)
            XCTAssertNotNil(m["tool_version"] as? String)
            XCTAssertFalse(((m["outputs"] as? [Any]) ?? []).isEmpty, "\(s) lists no outputs")
            for r in (m["reconciliation"] as? [[String: Any]]) ?? [] {
                let n = { (k: String) in r[k] as? Int ?? 0 }
                XCTAssertEqual(n("read"), n("written") + n("rejected") + n("duplicates"), "\(s) \(r["source"] ?? "")")
            }
            for o in (m["outputs"] as? [[String: Any]]) ?? [] {
                XCTAssertNotNil(o["schema_version"] as? Int, "\(s) output")
            }
        }
        let n = try Output.object(work.appendingPathComponent("normalize/normalize.manifest.json"))
        let counts = try XCTUnwrap(n["counts"] as? [String: Int])
        XCTAssertEqual(counts["customers"], 7)
        XCTAssertEqual(counts["never_converted"], 1)
        XCTAssertEqual(counts["intervals"], 7)
    }
}

extension EndToEndPipelineTests {
    /// The Cox fit here does not converge (the one activated customer, C1, never churns, so its
    /// coefficient heads to −∞): at_risk.jsonl is written empty and the report says why.
    /// C1, the one activated customer, has not churned: the activated level's hazard ratio has
    /// no estimate, so C1 is set aside, the model is fitted on the other five (three churned) and
    /// converges, and the active accounts scored are C3 and C4, not C1.
    func testALevelNobodyHasLeftIsSetAsideFromTheCoxFitAndItsAccountsAreNotScored() throws {
        let model = try Output.object(work.appendingPathComponent("churn-attribution/cox_model.json"))
        XCTAssertEqual(model["converged"] as? Bool, true)
        XCTAssertEqual(model["n"] as? Int, 5)
        XCTAssertEqual(model["events"] as? Int, 3)
        XCTAssertEqual(model["set_aside_levels"] as? [String], ["activation=activated"])
        XCTAssertEqual(model["set_aside_customers"] as? Int, 1)
        XCTAssertTrue(
            (model["message"] as? String ?? "").contains("set aside 1 customer of levels nobody has left"),
            "\(model["message"] ?? "")")
        let cox = try Output.lines(work.appendingPathComponent("churn-attribution/cox.jsonl"))
        XCTAssertEqual(cox.map { "\($0["dimension"] ?? "")=\($0["level"] ?? "")" }, ["acquisition_channel=web"])
        let atRisk = try Output.lines(work.appendingPathComponent("churn-attribution/at_risk.jsonl"))
        XCTAssertEqual(Set(atRisk.compactMap { $0["customer_id"] as? String }), ["C3", "C4"])
        let md = try Output.text(dir.appendingPathComponent("reports/report.md"))
        XCTAssertTrue(md.contains("Not in the model\\: activation\\: activated. Nobody there has churned"), md)
        XCTAssertTrue(md.contains("(1 set aside)"), md)
        XCTAssertTrue(md.contains("Accounts in activation\\: activated are not scored"), md)
    }

    /// Success phases in the report: all six converted customers had a closed activation window
    /// and one (C1) activated, below the 80% bar.
    func testReportShowsSuccessPhasesAgainstTheBar() throws {
        let md = try Output.text(dir.appendingPathComponent("reports/report.md"))
        XCTAssertTrue(md.contains("### Success phases"), md)
        XCTAssertTrue(md.contains("| All cohorts | 6 | ▼ 16.7% (1 / 6) |"), md)
    }
}
