import Foundation
import XCTest

@testable import CohortKit

/// Activation leaves out customers whose window has not closed at as_of (2024-12-31, 30 days):
/// the window of a first start s covers s ..< s + 30, closed when s + 30 <= 2025-01-01.
///
///   C1 start 2024-11-01, event 11-05   closed, activated
///   C2 start 2024-11-20, no event      closed, not activated
///   C3 start 2024-12-02, event 12-03   closed on as_of exactly (12-02 + 30 = 01-01), activated
///   C4 start 2024-12-03, no event      open (window ends 2025-01-01): left out
///   C5 start 2024-12-20, event 12-21   open: left out although activated
///
/// Expected: (all, all) 3 customers, 2 activated, 2/3, 2 with an open window; 2024-11: 2, 1, 0
/// open; 2024-12: 1, 1, 2 open.
final class ActivationWindowTests: XCTestCase {
    func testOpenWindowsAreLeftOutOfTheRate() throws {
        let root = try E2EFixture.emptyFolder("activation", for: self)
        func write(_ name: String, _ text: String) throws {
            try text.write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("customers.csv", "customer_id,acquisition_channel\nC1,web\nC2,web\nC3,web\nC4,web\nC5,web\n")
        try write(
            "subscriptions.csv",
            """
            subscription_id,customer_id,start_date,end_date,mrr
            S1,C1,2024-11-01,,1000
            S2,C2,2024-11-20,,1000
            S3,C3,2024-12-02,,1000
            S4,C4,2024-12-03,,1000
            S5,C5,2024-12-20,,1000

            """)
        try write(
            "events.jsonl",
            """
            {"customer_id":"C1","timestamp":"2024-11-05T10:00:00Z","event":"key"}
            {"customer_id":"C3","timestamp":"2024-12-03T10:00:00Z","event":"key"}
            {"customer_id":"C5","timestamp":"2024-12-21T10:00:00Z","event":"key"}

            """)
        try write(
            "pipeline.json",
            """
            {"version": 1, "as_of": "2024-12-31", "work_dir": "work", "reports_dir": "reports",
             "currency": {"report": "JPY", "minor_units": {"JPY": 0}},
             "sources": {"customers": {"path": "customers.csv"}, "subscriptions": {"path": "subscriptions.csv", "currency": "JPY"},
                         "events": {"path": "events.jsonl", "format": "jsonl"}},
             "attribution": {"dimensions": ["acquisition_channel"], "min_segment_customers": 1, "activation": {"event": "key", "days": 30}}}
            """)
        let pipeline = AttributionPipeline(root: root)
        XCTAssertTrue(pipeline.run())
        let rows = try pipeline.rows("activation")
        func row(_ cohort: String, _ channel: String) -> [String: Any]? {
            rows.first { $0.string("cohort") == cohort && $0.string("channel") == channel }
        }
        let all = try XCTUnwrap(row("(all)", "(all)"))
        XCTAssertEqual(all.int("customers"), 3)
        XCTAssertEqual(all.int("activated"), 2)
        XCTAssertEqual(try XCTUnwrap(all.double("activation_rate")), 2.0 / 3.0, accuracy: 1e-15)
        XCTAssertEqual(all.int("window_open"), 2)
        let nov = try XCTUnwrap(row("2024-11", "(all)"))
        XCTAssertEqual([nov.int("customers"), nov.int("activated"), nov.int("window_open")], [2, 1, 0])
        let dec = try XCTUnwrap(row("2024-12", "web"))
        XCTAssertEqual([dec.int("customers"), dec.int("activated"), dec.int("window_open")], [1, 1, 2])
    }
}
