import Foundation
import XCTest

@testable import CohortKit

/// Success phases on five customers, as_of 2024-12-31 (last complete month 2024-12), activation
/// window 30 days, adoption months 2 of 3 (30-day months from the first start), key event "key":
///
///   P1 web      start 2023-11-10, 1000 + addon 500 from 2024-03-01; events 11-12 (day 2), 12-20 (day 40)
///               activated; adopted (months 0 and 1); expanded (1500 > 1000 at 2024-03's month-end)
///   P2 web      start 2023-12-01, 1000; events 2024-01-15 (day 45), 2024-03-15 (day 105: after month 2)
///               not activated; not adopted (one month); not expanded
///   P3 partner  start 2024-10-15, 1000; events 10-16, 11-20
///               activated; adoption not observable (10-15 + 90 > 2025-01-01); expansion not observable
///   P4 partner  start 2024-12-20, 1000; no events: activation window still open, nothing observable
///   P5 partner  start 2024-01-05 .. 2024-06-30, 2000; events 01-06 (day 1), 02-10 (day 36), 03-20 (day 75)
///               activated; adopted (three months); not expanded (12 month-ends 2024-01 .. 2024-12 observable)
///
/// Expected (all, all): 5 customers; activation 3 of 4; adoption 2 of 3; expansion 1 of 3.
/// 2024-01 partner: activation 1/1, adoption 1/1, expansion 0/1. 2024-12 (all): 1 customer, 0 / 0 / 0 eligible.
final class SuccessPhasesTests: XCTestCase {
    func testPhasesCountOnlyCustomersWhoHadTheFullTime() throws {
        let root = try E2EFixture.emptyFolder("phases", for: self)
        func write(_ name: String, _ text: String) throws {
            try text.write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write(
            "customers.csv", "customer_id,acquisition_channel\nP1,web\nP2,web\nP3,partner\nP4,partner\nP5,partner\n")
        try write(
            "subscriptions.csv",
            """
            subscription_id,customer_id,product,start_date,end_date,mrr
            S1,P1,core,2023-11-10,,1000
            S1b,P1,addon,2024-03-01,,500
            S2,P2,core,2023-12-01,,1000
            S3,P3,core,2024-10-15,,1000
            S4,P4,core,2024-12-20,,1000
            S5,P5,core,2024-01-05,2024-06-30,2000

            """)
        try write(
            "events.jsonl",
            """
            {"customer_id":"P1","timestamp":"2023-11-12T10:00:00Z","event":"key"}
            {"customer_id":"P1","timestamp":"2023-12-20T10:00:00Z","event":"key"}
            {"customer_id":"P2","timestamp":"2024-01-15T10:00:00Z","event":"key"}
            {"customer_id":"P2","timestamp":"2024-03-15T10:00:00Z","event":"key"}
            {"customer_id":"P3","timestamp":"2024-10-16T10:00:00Z","event":"key"}
            {"customer_id":"P3","timestamp":"2024-11-20T10:00:00Z","event":"key"}
            {"customer_id":"P5","timestamp":"2024-01-06T10:00:00Z","event":"key"}
            {"customer_id":"P5","timestamp":"2024-02-10T10:00:00Z","event":"key"}
            {"customer_id":"P5","timestamp":"2024-03-20T10:00:00Z","event":"key"}

            """)
        try write(
            "pipeline.json",
            """
            {"version": 1, "as_of": "2024-12-31", "work_dir": "work", "reports_dir": "reports",
             "currency": {"report": "JPY", "minor_units": {"JPY": 0}},
             "sources": {"customers": {"path": "customers.csv"}, "subscriptions": {"path": "subscriptions.csv", "currency": "JPY"},
                         "events": {"path": "events.jsonl", "format": "jsonl"}},
             "attribution": {"dimensions": ["acquisition_channel"], "min_segment_customers": 1,
                             "activation": {"event": "key", "days": 30}, "adoption": {"months": 2}}}
            """)
        let pipeline = AttributionPipeline(root: root)
        XCTAssertTrue(pipeline.run())
        XCTAssertEqual(
            try pipeline.keys("phases").first,
            [
                "cohort", "channel", "customers", "activation_customers", "activated", "activation_rate",
                "adoption_customers", "adopted", "adoption_rate", "expansion_customers", "expanded", "expansion_rate",
            ])
        let rows = try pipeline.rows("phases")
        func row(_ cohort: String, _ channel: String) -> [String: Any]? {
            rows.first { $0.string("cohort") == cohort && $0.string("channel") == channel }
        }
        func counts(_ r: [String: Any]?) -> [Int?] {
            [
                "customers", "activation_customers", "activated", "adoption_customers", "adopted",
                "expansion_customers", "expanded",
            ].map { r?.int($0) }
        }
        XCTAssertEqual(rows.first?.string("cohort"), "(all)")
        XCTAssertEqual(counts(row("(all)", "(all)")), [5, 4, 3, 3, 2, 3, 1])
        XCTAssertEqual(try XCTUnwrap(row("(all)", "(all)")?.double("adoption_rate")), 2.0 / 3.0, accuracy: 1e-15)
        XCTAssertEqual(counts(row("2023-11", "web")), [1, 1, 1, 1, 1, 1, 1])
        XCTAssertEqual(counts(row("2023-12", "web")), [1, 1, 0, 1, 0, 1, 0])
        XCTAssertEqual(counts(row("2024-01", "partner")), [1, 1, 1, 1, 1, 1, 0])
        XCTAssertEqual(counts(row("2024-10", "partner")), [1, 1, 1, 0, 0, 0, 0])
        XCTAssertEqual(counts(row("2024-12", "(all)")), [1, 0, 0, 0, 0, 0, 0])
        XCTAssertTrue(row("2024-12", "(all)")?["activation_rate"] is NSNull)
    }

    func testAdoptionMonthsOfEventDays() {
        let s: Int32 = 100
        let asOf: Int32 = 1000
        XCTAssertEqual(SuccessPhases.adoptionBit(eventDay: 99, firstStart: s, asOf: asOf), 0)
        XCTAssertEqual(SuccessPhases.adoptionBit(eventDay: 100, firstStart: s, asOf: asOf), 1)
        XCTAssertEqual(SuccessPhases.adoptionBit(eventDay: 129, firstStart: s, asOf: asOf), 1)
        XCTAssertEqual(SuccessPhases.adoptionBit(eventDay: 130, firstStart: s, asOf: asOf), 2)
        XCTAssertEqual(SuccessPhases.adoptionBit(eventDay: 189, firstStart: s, asOf: asOf), 4)
        XCTAssertEqual(SuccessPhases.adoptionBit(eventDay: 190, firstStart: s, asOf: asOf), 0)
        XCTAssertEqual(SuccessPhases.adoptionBit(eventDay: 150, firstStart: s, asOf: 140), 0)
        XCTAssertTrue(SuccessPhases.adoptionObservable(firstStart: s, asOf: 189))
        XCTAssertFalse(SuccessPhases.adoptionObservable(firstStart: s, asOf: 188))
        XCTAssertTrue(SuccessPhases.adopted(bits: 0b101, months: 2))
        XCTAssertFalse(SuccessPhases.adopted(bits: 0b101, months: 3))
    }
}
