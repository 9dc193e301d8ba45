import Foundation
import XCTest

/// ingest's subscriptions.jsonl, byte for byte, on rows that take every branch of a row's text
/// fields (absent, empty, only spaces, escaped, decomposed, converted), through the real binary
/// with one thread and with two: the writer's thread gets these rows packed as bytes.
final class EndToEndSubscriptionRowsTests: XCTestCase {
    static let customers = "customer_id,signup_date,acquisition_channel\nC1,2024-01-01,web\nC2,2024-01-01,web\n"
    /// Ids out of order (S3 then S1: the id table is in use, with its look-ahead); a product, plan
    /// and quantity of only spaces; an id of only spaces; an amount in USD; a customer only
    /// subscriptions name (C3); one id in both Unicode forms with the same values (a duplicate);
    /// a quoted plan holding a quote; and S3 again with another MRR (rejected).
    static let subscriptions =
        "subscription_id,customer_id,product,plan,start_date,end_date,mrr,currency,quantity\n"
        + "S3,C1,core,pro,2024-01-01,,100,,2\n"
        + "S1,C2,  ,   ,2024-02-01,2024-05-01,50,,   \n"
        + "   ,C1,addon,,2024-03-01,,10,USD,\n"
        + "S2,C3,core,,2024-01-15,,30,,\n"
        + "S-e\u{301}1,C1,core,pro,2024-04-01,,20,,\n"
        + "S-\u{E9}1,C1,core,pro,2024-04-01,,20,,\n"
        + "S0,C2,core,\"x\"\"q\",2024-01-01,,5,,\n"
        + "S3,C1,core,pro,2024-01-01,,999,,\n"

    /// What ingest wrote for these rows before its rows were packed as bytes (the same binary's
    /// earlier build, run on these files): the packing must not change a byte.
    static let expected =
        """
        {"customer_id":"C1","subscription_id":"S3","product":"core","plan":"pro","start_date":"2024-01-01","mrr_minor":100,"quantity":"2"}
        {"customer_id":"C2","subscription_id":"S1","product":"default","plan":"","start_date":"2024-02-01","end_date":"2024-05-01","mrr_minor":50}
        {"customer_id":"C1","subscription_id":"","product":"addon","start_date":"2024-03-01","mrr_minor":1500,"source_currency":"USD"}
        {"customer_id":"C3","subscription_id":"S2","product":"core","start_date":"2024-01-15","mrr_minor":30}
        {"customer_id":"C1","subscription_id":"S-e\u{301}1","product":"core","plan":"pro","start_date":"2024-04-01","mrr_minor":20}
        {"customer_id":"C2","subscription_id":"S0","product":"core","plan":"x\\"q","start_date":"2024-01-01","mrr_minor":5}

        """

    func testSubscriptionRowsAreWrittenAsBeforeOnOneThreadAndTwo() throws {
        for threads in ["1", "2"] {
            let dir = try E2EFixture.emptyFolder("e2e-subscription-rows", for: self)
            try Data(Self.customers.utf8).write(to: dir.appendingPathComponent("customers.csv"))
            try Data(Self.subscriptions.utf8).write(to: dir.appendingPathComponent("subscriptions.csv"))
            let config = """
                {"version": 1, "as_of": "2024-06-30", "work_dir": "work", "reports_dir": "reports",
                 "currency": {"report": "JPY", "rates": {"USD": 150}, "minor_units": {"JPY": 0, "USD": 2}},
                 "sources": {"customers": {"path": "customers.csv"}, "subscriptions": {"path": "subscriptions.csv"}},
                 "ingest": {"max_reject_ratio": 1.0}}
                """
            let path = dir.appendingPathComponent("pipeline.json")
            try config.write(to: path, atomically: true, encoding: .utf8)
            let r = try StageProcess.run("ingest", ["--config", path.path, "--quiet", "--threads", threads])
            XCTAssertEqual(r.exitCode, 0, r.stderr)
            let written = try Data(contentsOf: dir.appendingPathComponent("work/ingest/subscriptions.jsonl"))
            XCTAssertEqual(String(decoding: written, as: UTF8.self), Self.expected, "--threads \(threads)")
            let rejects = try Output.lines(dir.appendingPathComponent("work/ingest/rejects.jsonl"))
            XCTAssertEqual(rejects.count, 1)
            XCTAssertEqual(rejects.first?["line"] as? Int, 9)
            XCTAssertEqual(
                rejects.first?["reason"] as? String,
                "duplicate subscription_id with different values (first seen on line 2); if the export repeats an id on each change of a subscription (a plan change as a new row), map a column unique to each row as subscription_id, or leave it unmapped"
            )
            let manifest = try Output.object(dir.appendingPathComponent("work/ingest/ingest.manifest.json"))
            let counts = manifest["counts"] as? [String: Any]
            XCTAssertEqual(counts?["orphan_subscriptions"] as? Int, 1, "C3 is known from its subscription only")
            let reconciliation = (manifest["reconciliation"] as? [[String: Any]])?.first {
                $0["source"] as? String == "subscriptions"
            }
            XCTAssertEqual(reconciliation?["read"] as? Int, 8)
            XCTAssertEqual(reconciliation?["written"] as? Int, 6)
            XCTAssertEqual(reconciliation?["duplicates"] as? Int, 1, "the id in its other Unicode form")
        }
    }
}
