import XCTest

@testable import CohortKit

final class ExitReasonsTests: XCTestCase {
    /// Customer 0 (web, lost 100): too_expensive on day 10 (an earlier missing_feature is not the
    /// latest); customer 1 (ads, lost 50): an empty reason; customer 2 (web, lost 30):
    /// Too_Expensive, a reason of its own that maps, ignoring case, to price.
    /// Rows: channel (all) first then ads, web; per category the (all) total first; "(unmapped)"
    /// sorts before "price" and "Too_Expensive" before "too_expensive".
    func testRowsByHand() throws {
        var r = ExitReasons(customers: 3)
        r.add(customer: 0, day: 10, reason: "too_expensive")
        r.add(customer: 0, day: 5, reason: "missing_feature")
        r.add(customer: 1, day: 7, reason: "")
        r.add(customer: 2, day: 3, reason: "Too_Expensive")
        let rows = try r.rows(
            channel: [0, 1, 0], channels: ["web", "ads"], lastChurnMRR: [100, 50, 30],
            categories: [("too_expensive", "price")])
        func row(_ ch: String, _ cat: String, _ reason: String, _ n: Int, _ mrr: Int64) -> ReasonRecord {
            ReasonRecord(channel: ch, category: cat, reason: reason, customers: n, churnedMRRMinor: mrr)
        }
        XCTAssertEqual(
            rows,
            [
                row("(all)", "(unmapped)", "(all)", 1, 50),
                row("(all)", "(unmapped)", "(no reason given)", 1, 50),
                row("(all)", "price", "(all)", 2, 130),
                row("(all)", "price", "Too_Expensive", 1, 30),
                row("(all)", "price", "too_expensive", 1, 100),
                row("ads", "(unmapped)", "(all)", 1, 50),
                row("ads", "(unmapped)", "(no reason given)", 1, 50),
                row("web", "price", "(all)", 2, 130),
                row("web", "price", "Too_Expensive", 1, 30),
                row("web", "price", "too_expensive", 1, 100),
            ])
    }

    /// Of two cancellations on the same day the later line wins; a reason that reads as a bucket
    /// name is escaped; a customer without cancellations has no row.
    func testSameDayLaterLineWinsAndLabelsAreEscaped() throws {
        var r = ExitReasons(customers: 2)
        r.add(customer: 0, day: 10, reason: "price")
        r.add(customer: 0, day: 10, reason: "(all)")
        let rows = try r.rows(channel: [0, 0], channels: ["web"], lastChurnMRR: [5, 9], categories: [])
        XCTAssertEqual(rows.map(\.reason), ["(all)", "\\(all)", "(all)", "\\(all)"])
        XCTAssertEqual(rows.map(\.customers), [1, 1, 1, 1])
        XCTAssertEqual(rows.map(\.churnedMRRMinor), [5, 5, 5, 5])
    }
}
