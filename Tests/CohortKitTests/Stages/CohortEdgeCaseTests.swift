import Foundation
import XCTest

@testable import CohortKit

/// One hand-worked project where each customer is an edge case of docs/metrics.md, run through
/// ingest, normalize and cohort in process. as_of 2024-04-30, grace_days 7, JPY, 1 USD = 150.
///
///     A web  core 1000  01-01→03-01, 03-08→open   gap of 7 days (03-01..03-07): bridged
///     B web  core 1000  01-01→03-01, 03-09→open   gap of 8 days: not bridged, first churn 03-01
///     C web  core 2000  01-10→02-01, 04-01→open   ends on the 1st (active at 01-31), reactivates in April
///     D web  core 1000→1600 at 03-01, addon 500 01-15→03-01   two products change in one month: +100
///     E web  core 1000 02-05→open, analytics 300 from 03-10    cross-sell in March
///     F web  1000.50 USD a year 02-20→2025-02-20              12506.25 → 12506 a month, capped at as_of
///     G web  free 0 01-01→02-01, then 500 from 02-01          zero MRR makes no activity: cohort 2024-02
///     H web  starts 2024-05-10, after as_of                   never converted
///     I web  02-10→02-10                                      zero length: covers no day, never converted
///     J solo 700 from 04-02                                   a channel with one customer; cohort with offset 0 only
final class CohortEdgeCaseTests: XCTestCase {
    static var project: URL!

    override class func setUp() {
        super.setUp()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cohort-edge-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let customers = """
            customer_id,acquisition_channel
            A,web
            B,web
            C,web
            D,web
            E,web
            F,web
            G,web
            H,web
            I,web
            J,solo

            """
        let subscriptions = """
            subscription_id,customer_id,product,start_date,end_date,mrr,amount,billing_period,currency
            A1,A,core,2024-01-01,2024-03-01,1000,,,JPY
            A2,A,core,2024-03-08,,1000,,,JPY
            B1,B,core,2024-01-01,2024-03-01,1000,,,JPY
            B2,B,core,2024-03-09,,1000,,,JPY
            C1,C,core,2024-01-10,2024-02-01,2000,,,JPY
            C2,C,core,2024-04-01,,2000,,,JPY
            D1,D,core,2024-01-15,2024-03-01,1000,,,JPY
            D2,D,core,2024-03-01,,1600,,,JPY
            D3,D,addon,2024-01-15,2024-03-01,500,,,JPY
            E1,E,core,2024-02-05,,1000,,,JPY
            E2,E,analytics,2024-03-10,,300,,,JPY
            F1,F,core,2024-02-20,2025-02-20,,1000.50,year,USD
            G1,G,core,2024-01-01,2024-02-01,0,,,JPY
            G2,G,core,2024-02-01,,500,,,JPY
            H1,H,core,2024-05-10,,900,,,JPY
            I1,I,core,2024-02-10,2024-02-10,900,,,JPY
            J1,J,core,2024-04-02,,700,,,JPY

            """
        let config = """
            {"version": 1, "as_of": "2024-04-30", "work_dir": "work",
             "currency": {"report": "JPY", "rates": {"USD": 150}, "minor_units": {"JPY": 0, "USD": 2}},
             "sources": {"customers": {"path": "customers.csv"}, "subscriptions": {"path": "subscriptions.csv"}},
             "normalize": {"grace_days": 7}, "cohort": {"max_offset_months": 6}}
            """
        try? customers.write(to: dir.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        try? subscriptions.write(to: dir.appendingPathComponent("subscriptions.csv"), atomically: true, encoding: .utf8)
        try? config.write(to: dir.appendingPathComponent("pipeline.json"), atomically: true, encoding: .utf8)
        let args = ["--config", dir.appendingPathComponent("pipeline.json").path, "--quiet"]
        let stages: [(StageDescription, (StageContext) throws -> Void)] = [
            (.ingest, { try IngestStage.run($0) }), (.normalize, { try NormalizeStage.run($0) }),
            (.cohort, { try CohortStage.run($0) }),
        ]
        for (d, body) in stages where StageCommand.run(d, arguments: args, body: body) != 0 {
            XCTFail("\(d.name) failed")
        }
        project = dir
    }

    override class func tearDown() {
        if let project { try? FileManager.default.removeItem(at: project) }
        super.tearDown()
    }

    func rows(_ path: String) throws -> [[String: Any]] {
        try Output.lines(Self.project.appendingPathComponent("work/\(path)"))
    }
    func one(_ path: String, _ match: [String: String], file: StaticString = #filePath, line: UInt = #line) throws
        -> [String: Any]
    {
        Output.row(try rows(path), match, file: file, line: line)
    }

    func testNormalizedCustomers() throws {
        func c(_ id: String) throws -> [String: Any] { try one("normalize/customers.jsonl", ["customer_id": id]) }
        // A: the 7-day gap is bridged, so A never churned: censored with Jan 1..Apr 30 = 121 days.
        XCTAssertEqual(try c("A")["churned"] as? Bool, false)
        XCTAssertEqual(try c("A")["duration_days"] as? Int, 121)
        // B: 8 days is one too many: first churn on 03-01 after 31 + 29 = 60 days.
        XCTAssertEqual(try c("B")["first_churn"] as? String, "2024-03-01")
        XCTAssertEqual(try c("B")["duration_days"] as? Int, 60)
        // C: 01-10 to 02-01 is 22 active days; the April return does not undo the first churn.
        XCTAssertEqual(try c("C")["first_churn"] as? String, "2024-02-01")
        XCTAssertEqual(try c("C")["duration_days"] as? Int, 22)
        XCTAssertEqual(try c("C")["mrr_at_as_of_minor"] as? Int, 2000)
        // G: the free month makes no activity; the cohort is the first paying month.
        XCTAssertEqual(try c("G")["cohort"] as? String, "2024-02")
        XCTAssertEqual(try c("G")["duration_days"] as? Int, 90)
        // H (after as_of) and I (zero length) never converted.
        for id in ["H", "I"] {
            let row = try c(id)
            XCTAssertEqual(row["converted"] as? Bool, false, id)
            // The contract's fields are present, null (docs/stages.md#null-fields).
            for key in ["cohort", "first_start", "first_churn", "duration_days"] {
                XCTAssertTrue(row[key] is NSNull, "\(id) \(key): \(String(describing: row[key]))")
            }
            XCTAssertEqual(row["mrr_at_as_of_minor"] as? Int, 0, id)
        }
        XCTAssertEqual(try c("J")["channel"] as? String, "solo")
    }

    func testIntervalsAnnualPlanAndCapping() throws {
        // 1000.50 USD x 150 / 12 = 12,506.25 JPY a month, rounded once to 12,506; the term runs
        // past as_of, so its end is null.
        let f = try one("normalize/intervals.jsonl", ["customer_id": "F"])
        XCTAssertEqual(f["mrr_minor"] as? Int, 12506)
        XCTAssertTrue(f["end"] is NSNull)
        XCTAssertEqual(
            try rows("normalize/intervals.jsonl").filter {
                $0["customer_id"] as? String == "H" || $0["customer_id"] as? String == "I"
            }.count, 0)
        let manifest = try Output.object(Self.project.appendingPathComponent("work/normalize/normalize.manifest.json"))
        let counts = manifest["counts"] as? [String: Any] ?? [:]
        XCTAssertEqual(counts["zero_mrr_subscriptions"] as? Int, 1)
        XCTAssertEqual(counts["subscriptions_after_as_of"] as? Int, 1)
        XCTAssertEqual(counts["zero_length_subscriptions"] as? Int, 1)
        // A's two subscriptions: the 7-day gap is bridged, then the renewal at the same MRR joins
        // the first; B's 8-day gap is not bridged, so B keeps two rows.
        XCTAssertEqual(counts["renewals_joined"] as? Int, 1)
        let a = try rows("normalize/intervals.jsonl").filter { $0["customer_id"] as? String == "A" }
        XCTAssertEqual(a.count, 1)
        XCTAssertEqual(a.first?["start"] as? String, "2024-01-01")
        XCTAssertTrue(a.first?["end"] is NSNull)
        XCTAssertEqual(try rows("normalize/intervals.jsonl").filter { $0["customer_id"] as? String == "B" }.count, 2)
        let subscriptions = (manifest["reconciliation"] as? [[String: Any]] ?? []).first {
            $0["source"] as? String == "subscriptions"
        }
        XCTAssertEqual(
            subscriptions?["written"] as? Int,
            (counts["intervals"] as? Int ?? -1) + (counts["renewals_joined"] as? Int ?? -1),
            "every subscription written is an interval or joined into one")
    }

    func testTriangle() throws {
        // Cohort 2024-01 = A, B, C, D. MRR at month ends: Jan 1000+1000+2000+1500 = 5500;
        // Feb: C gone, 3500; Mar: D upgraded to 1600, 3600; Apr: C back, 5600. May is after as_of.
        let jan = try rows("cohort/triangle.jsonl").filter {
            $0["cohort"] as? String == "2024-01" && $0["channel"] as? String == "(all)"
        }
        XCTAssertEqual(jan.map { $0["offset"] as? Int }, [0, 1, 2, 3])
        XCTAssertEqual(jan.map { $0["active"] as? Int }, [4, 3, 3, 4])
        XCTAssertEqual(jan.map { $0["mrr_minor"] as? Int }, [5500, 3500, 3600, 5600])
        XCTAssertEqual(jan.map { $0["mrr_start_minor"] as? Int }, [5500, 5500, 5500, 5500])
        XCTAssertEqual(jan[1]["logo_retention"] as? Double ?? 0, 0.75, accuracy: 1e-12)
        XCTAssertEqual(jan[3]["revenue_retention"] as? Double ?? 0, 5600.0 / 5500.0, accuracy: 1e-12)
        // GRR caps each customer at its starting MRR: at offset 3, D counts 1500 not 1600.
        XCTAssertEqual(jan[3]["gross_revenue_retention"] as? Double ?? 0, 1.0, accuracy: 1e-12)
        XCTAssertEqual(jan[1]["gross_revenue_retention"] as? Double ?? 0, 3500.0 / 5500.0, accuracy: 1e-12)
        // Cohort 2024-02 = E, F, G: 1000 + 12506 + 500 = 14006, then E's add-on: 14306.
        let feb = try rows("cohort/triangle.jsonl").filter {
            $0["cohort"] as? String == "2024-02" && $0["channel"] as? String == "(all)"
        }
        XCTAssertEqual(feb.map { $0["mrr_minor"] as? Int }, [14006, 14306, 14306])
        // Cohort 2024-04 (J, channel solo): only offset 0 is observable; later cells are absent.
        let apr = try rows("cohort/triangle.jsonl").filter { $0["cohort"] as? String == "2024-04" }
        XCTAssertEqual(Set(apr.map { $0["channel"] as? String }), ["(all)", "solo"])
        XCTAssertEqual(apr.map { $0["offset"] as? Int }, [0, 0])
        // Weighted offset 1 pools complete cells only: Jan (3 of 4) and Feb (3 of 3); April's is
        // not observable yet and stays out: 6 / 7.
        let w1 = try one("cohort/triangle.jsonl", ["cohort": "(weighted)", "channel": "(all)", "offset": "1"])
        XCTAssertEqual(w1["customers"] as? Int, 7)
        XCTAssertEqual(w1["active"] as? Int, 6)
        XCTAssertEqual(w1["logo_retention"] as? Double ?? 0, 6.0 / 7.0, accuracy: 1e-12)
        let w3 = try one("cohort/triangle.jsonl", ["cohort": "(weighted)", "channel": "(all)", "offset": "3"])
        XCTAssertEqual(w3["customers"] as? Int, 4)
    }

    func testMovements() throws {
        func m(_ month: String) throws -> [String: Any] {
            try one("cohort/movements.jsonl", ["month": month, "channel": "(all)"])
        }
        let jan = try m("2024-01")
        XCTAssertEqual(jan["new_minor"] as? Int, 5500)
        XCTAssertEqual(jan["new_customers"] as? Int, 4)
        // Feb: E, F, G are new (G's free month was never activity); C churns (its term ended 02-01).
        let feb = try m("2024-02")
        XCTAssertEqual(feb["new_minor"] as? Int, 14006)
        XCTAssertEqual(feb["churn_minor"] as? Int, 2000)
        XCTAssertEqual(feb["churned_customers"] as? Int, 1)
        XCTAssertEqual(feb["mrr_end_minor"] as? Int, 17506)
        XCTAssertEqual(feb["customers_end"] as? Int, 6)
        // Mar: D +100 net (core +600, add-on −500 on one customer), E +300; B's 8-day gap lies
        // between two month ends and is invisible to snapshots.
        let mar = try m("2024-03")
        XCTAssertEqual(mar["expansion_minor"] as? Int, 400)
        XCTAssertEqual(mar["contraction_minor"] as? Int, 0)
        XCTAssertEqual(mar["churn_minor"] as? Int, 0)
        XCTAssertEqual(mar["mrr_end_minor"] as? Int, 17906)
        // Apr: C is a reactivation (active before), J is new.
        let apr = try m("2024-04")
        XCTAssertEqual(apr["reactivation_minor"] as? Int, 2000)
        XCTAssertEqual(apr["reactivated_customers"] as? Int, 1)
        XCTAssertEqual(apr["new_minor"] as? Int, 700)
        XCTAssertEqual(apr["mrr_end_minor"] as? Int, 20606)
        for r in try rows("cohort/movements.jsonl") {
            let start = r["mrr_start_minor"] as? Int ?? 0
            let end = r["mrr_end_minor"] as? Int ?? 0
            let parts =
                (r["new_minor"] as? Int ?? 0) + (r["reactivation_minor"] as? Int ?? 0)
                + (r["expansion_minor"] as? Int ?? 0)
                - (r["contraction_minor"] as? Int ?? 0) - (r["churn_minor"] as? Int ?? 0)
            XCTAssertEqual(end, start + parts, "identity fails for \(r)")
        }
    }

    func testMonthWindows() throws {
        func w(_ to: String) throws -> [String: Any] {
            try one("cohort/windows.jsonl", ["kind": "month", "to": to, "channel": "(all)"])
        }
        // January: nobody paid at 2023-12-31, so the base is empty and ratios are null.
        let jan = try w("2024-01-31")
        XCTAssertEqual(jan["base_customers"] as? Int, 0)
        XCTAssertTrue(jan["nrr"] is NSNull)
        // February: base A, B, C, D (5500); C is gone at 02-29: churn 1/4, NRR = GRR = 3500/5500.
        let feb = try w("2024-02-29")
        XCTAssertEqual(feb["logo_churn_rate"] as? Double ?? -1, 0.25, accuracy: 1e-12)
        XCTAssertEqual(feb["nrr"] as? Double ?? -1, 3500.0 / 5500.0, accuracy: 1e-12)
        // March: base A, B, D, E, F, G (17506) all still paying; NRR 17906/17506, GRR 1;
        // upsell: D only (1600 on core + add-on > 1500); cross-sell: E only (analytics).
        let mar = try w("2024-03-31")
        XCTAssertEqual(mar["base_customers"] as? Int, 6)
        XCTAssertEqual(mar["retained_customers"] as? Int, 6)
        XCTAssertEqual(mar["nrr"] as? Double ?? -1, 17906.0 / 17506.0, accuracy: 1e-12)
        XCTAssertEqual(mar["grr"] as? Double ?? -1, 1.0, accuracy: 1e-12)
        XCTAssertEqual(mar["upsell_rate"] as? Double ?? -1, 1.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(mar["cross_sell_rate"] as? Double ?? -1, 1.0 / 6.0, accuracy: 1e-12)
    }

    func testSurvivalAndLogRank() throws {
        // Durations: A 121c, B 60, C 22, D 107c, E 86c, F 71c, G 90c, J 29c (c = censored).
        // S(22) = 7/8; at 60 six are at risk: S = 7/8 x 5/6 = 35/48. Marks: t1 = 30, t2 = 61.
        let t1 = try one("cohort/survival.jsonl", ["row": "mark", "channel": "(all)", "month_mark": "1"])
        XCTAssertEqual(t1["day"] as? Int, 30)
        XCTAssertEqual(t1["at_risk"] as? Int, 6)
        XCTAssertEqual(t1["events"] as? Int, 1)
        XCTAssertEqual(t1["survival"] as? Double ?? 0, 7.0 / 8.0, accuracy: 1e-12)
        let t2 = try one("cohort/survival.jsonl", ["row": "mark", "channel": "(all)", "month_mark": "2"])
        XCTAssertEqual(t2["day"] as? Int, 61)
        XCTAssertEqual(t2["at_risk"] as? Int, 5)
        XCTAssertEqual(t2["events"] as? Int, 2)
        XCTAssertEqual(t2["survival"] as? Double ?? 0, 35.0 / 48.0, accuracy: 1e-12)
        let median = try one("cohort/survival.jsonl", ["row": "median", "channel": "(all)"])
        XCTAssertTrue(median["median_days"] is NSNull, "S never reaches 1/2")
        XCTAssertEqual(median["customers"] as? Int, 8)
        XCTAssertEqual(median["churned"] as? Int, 2)
        // The one-customer channel still gets its curve: S = 1 while J is at risk.
        let solo = try one("cohort/survival.jsonl", ["row": "mark", "channel": "solo", "month_mark": "1"])
        XCTAssertEqual(solo["at_risk"] as? Int, 0, "J has 29 observed days, fewer than the 30 of mark 1")
        XCTAssertEqual(solo["survival"] as? Double ?? 0, 1.0, accuracy: 1e-12)
        let logrank = try Output.object(Self.project.appendingPathComponent("work/cohort/logrank.json"))
        XCTAssertEqual(logrank["df"] as? Int, 1, "two channels, one degree of freedom")
    }

    /// With as_of on 2024-04-20, April's month end lies after as_of: the April cohort (J, from
    /// 04-02) has no observable cell at all, so it has no triangle rows, while J still counts in
    /// survival (censored after 19 days). March's offset 1 (its April cell) is absent too.
    func testCohortWithEveryCellIncomplete() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cohort-midmonth-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.project, to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("work"))
        let args = ["--config", dir.appendingPathComponent("pipeline.json").path, "--as-of", "2024-04-20", "--quiet"]
        let stages: [(StageDescription, (StageContext) throws -> Void)] = [
            (.ingest, { try IngestStage.run($0) }), (.normalize, { try NormalizeStage.run($0) }),
            (.cohort, { try CohortStage.run($0) }),
        ]
        for (d, body) in stages { XCTAssertEqual(StageCommand.run(d, arguments: args, body: body), 0, d.name) }
        let triangle = try Output.lines(dir.appendingPathComponent("work/cohort/triangle.jsonl"))
        XCTAssertTrue(triangle.filter { $0["cohort"] as? String == "2024-04" }.isEmpty, "no April cell is observable")
        XCTAssertEqual(
            triangle.filter { $0["cohort"] as? String == "2024-01" && $0["channel"] as? String == "(all)" }.map {
                $0["offset"] as? Int
            },
            [0, 1, 2], "January's April cell (offset 3) is not observable either")
        let j = Output.row(
            try Output.lines(dir.appendingPathComponent("work/normalize/customers.jsonl")), ["customer_id": "J"])
        XCTAssertEqual(j["cohort"] as? String, "2024-04")
        XCTAssertEqual(j["duration_days"] as? Int, 19)
    }
}
