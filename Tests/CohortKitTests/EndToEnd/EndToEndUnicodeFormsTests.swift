import Foundation
import XCTest

/// Text that looks the same but is encoded differently, through the real binaries: an id typed in
/// two Unicode forms is one id in every stage, an amount without its billing period is rejected
/// rather than read as monthly, and the spreadsheet exports show invisible characters.
final class EndToEndUnicodeFormsTests: XCTestCase {
    /// A project of `files` (name → contents) with a pipeline.json naming the sources given, run
    /// through every stage; returns its folder.
    func run(_ files: [String: String], extraConfig: String = "") throws -> URL {
        let dir = try E2EFixture.emptyFolder("e2e-unicode", for: self)
        var sources: [String] = []
        for (name, text) in files {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name))
            let kind = String(name.split(separator: ".")[0])
            sources.append("\"\(kind)\": {\"path\": \"\(name)\"}")
        }
        let config = """
            {"version": 1, "as_of": "2024-06-30", "work_dir": "work", "reports_dir": "reports",
             "currency": {"report": "JPY", "rates": {}, "minor_units": {"JPY": 0}},
             "sources": {\(sources.sorted().joined(separator: ", "))},
             "attribution": {"dimensions": ["acquisition_channel"], "min_segment_customers": 1,
                             "activation": {"event": "report_created", "days": 30}}
             \(extraConfig)}
            """
        try config.write(to: dir.appendingPathComponent("pipeline.json"), atomically: true, encoding: .utf8)
        try StageProcess.runAll(config: dir.appendingPathComponent("pipeline.json").path, extra: ["--quiet"])
        return dir
    }

    /// José's cancellation and event spell `é` as `e` and a combining accent; `Josf` sorts
    /// between the two spellings by bytes. Both rows count for José.
    func testCancellationsAndEventsFindTheirCustomerInEitherUnicodeForm() throws {
        let dir = try run([
            "customers.csv":
                "customer_id,signup_date,acquisition_channel\nJos\u{E9},2024-01-05,web\nJosf,2024-01-10,web\n",
            "subscriptions.csv":
                "customer_id,start_date,end_date,mrr\nJos\u{E9},2024-01-05,2024-03-05,100\nJosf,2024-01-10,,100\n",
            "cancellations.csv": "customer_id,date,reason\nJose\u{301},2024-03-05,too_expensive\n",
            "events.jsonl":
                "{\"customer_id\":\"Jose\u{301}\",\"timestamp\":\"2024-01-06T10:00:00Z\",\"event\":\"report_created\"}\n",
        ])
        let reasons = try Output.lines(dir.appendingPathComponent("work/churn-attribution/reasons.jsonl"))
        let web = Output.row(reasons, ["channel": "web", "reason": "too_expensive"])
        XCTAssertEqual(web["customers"] as? Int, 1)
        XCTAssertEqual(web["churned_mrr_minor"] as? Int, 100)
        let activation = try Output.lines(dir.appendingPathComponent("work/churn-attribution/activation.jsonl"))
        let all = Output.row(activation, ["cohort": "2024-01", "channel": "(all)"])
        XCTAssertEqual(all["activated"] as? Int, 1, "José's event, in the other form, counts")
        XCTAssertEqual(all["customers"] as? Int, 2)
    }

    /// One subscription_id typed in both forms, with the same values: one subscription.
    func testASubscriptionIdInEitherUnicodeFormIsOneSubscription() throws {
        let dir = try run([
            "customers.csv": "customer_id,signup_date,acquisition_channel\nC1,2024-01-05,web\n",
            "subscriptions.csv":
                "subscription_id,customer_id,start_date,end_date,mrr\nS-e\u{301}1,C1,2024-01-05,,100\nS-\u{E9}1,C1,2024-01-05,,100\n",
        ])
        let customers = try Output.lines(dir.appendingPathComponent("work/normalize/customers.jsonl"))
        XCTAssertEqual(Output.row(customers, ["customer_id": "C1"])["mrr_at_as_of_minor"] as? Int, 100)
        let manifest = try Output.object(dir.appendingPathComponent("work/ingest/ingest.manifest.json"))
        let reconciliation = try XCTUnwrap(manifest["reconciliation"] as? [[String: Any]])
        let subs = try XCTUnwrap(reconciliation.first { $0["source"] as? String == "subscriptions" })
        XCTAssertEqual(subs["written"] as? Int, 1)
        XCTAssertEqual(subs["duplicates"] as? Int, 1, "the second row is an exact repeat")
    }

    /// An amount needs its period: read as monthly, 1,200 a year would be 1,200 a month.
    func testAnAmountWithoutABillingPeriodIsRejectedNotReadAsMonthly() throws {
        let dir = try run(
            [
                "customers.csv": "customer_id,signup_date,acquisition_channel\nC1,2024-01-05,web\nC2,2024-01-05,web\n",
                "subscriptions.csv":
                    "subscription_id,customer_id,start_date,end_date,amount,billing_period\nS1,C1,2024-01-05,,1200,\nS2,C2,2024-01-05,,1200,year\n",
            ], extraConfig: ", \"ingest\": {\"max_reject_ratio\": 0.9}")
        let rows = try Output.lines(dir.appendingPathComponent("work/ingest/subscriptions.jsonl"))
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(Output.row(rows, ["subscription_id": "S2"])["mrr_minor"] as? Int, 100)
        let rejects = try Output.lines(dir.appendingPathComponent("work/ingest/rejects.jsonl"))
        let reject = Output.row(rejects, ["source": "subscriptions", "field": "billing_period"])
        XCTAssertEqual(reject["line"] as? Int, 2)
        XCTAssertTrue((reject["reason"] as? String ?? "").contains("the amount has no billing_period"))
    }

    /// Channels `web` and `web` + U+200E, and one starting with U+202E: triangles.csv writes the
    /// invisible characters as `\uXXXX`, as the reports do, so the rows look different and no
    /// cell reverses the ones after it.
    func testTheTrianglesExportShowsInvisibleCharacters() throws {
        let dir = try run([
            "customers.csv":
                "customer_id,signup_date,acquisition_channel\nC1,2024-01-05,web\nC2,2024-01-05,web\u{200E}\nC3,2024-01-05,\u{202E}live\n",
            "subscriptions.csv":
                "customer_id,start_date,end_date,mrr\nC1,2024-01-05,,100\nC2,2024-01-05,2024-03-05,100\nC3,2024-01-05,,100\n",
        ])
        let csv = try Output.text(dir.appendingPathComponent("reports/triangles.csv"))
        XCTAssertTrue(csv.contains(",web\\u200E,"))
        XCTAssertTrue(csv.contains(",\\u202Elive,"))
        XCTAssertFalse(csv.unicodeScalars.contains { $0 == "\u{200E}" || $0 == "\u{202E}" })
        XCTAssertTrue(csv.contains(",web,"), "the plain channel stays as it is")
    }
}
