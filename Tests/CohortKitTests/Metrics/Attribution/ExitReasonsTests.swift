import XCTest

@testable import CohortKit

final class ExitReasonsTests: XCTestCase {
    /// Customer 0 (web, lost 100): too_expensive on day 10 (an earlier missing_feature is not the
    /// latest); customer 1 (ads, lost 50): an empty reason; customer 2 (web, lost 30):
    /// Too_Expensive, the same reason in another case: one reason, mapped ignoring case to price,
    /// shown as "Too_Expensive" (one customer each: the first in byte order).
    /// Rows: channel (all) first then ads, web; per category the (all) total first; "(unmapped)"
    /// sorts before "price".
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
                row("(all)", "price", "Too_Expensive", 2, 130),
                row("ads", "(unmapped)", "(all)", 1, 50),
                row("ads", "(unmapped)", "(no reason given)", 1, 50),
                row("web", "price", "(all)", 2, 130),
                row("web", "price", "Too_Expensive", 2, 130),
            ])
    }

    /// Unmapped reasons in several cases are one row, in the spelling most customers have; the
    /// pipeline's own "(no reason given)" stays apart from the data's "(No reason given)".
    func testReasonsDifferingOnlyInCaseAreOneRowInTheirMostCommonSpelling() throws {
        var r = ExitReasons(customers: 6)
        r.add(customer: 0, day: 1, reason: "Too slow")
        r.add(customer: 1, day: 1, reason: "too slow")
        r.add(customer: 2, day: 1, reason: "too slow")
        r.add(customer: 3, day: 1, reason: "TOO SLOW")
        r.add(customer: 4, day: 1, reason: "(No reason given)")
        r.add(customer: 5, day: 1, reason: "")
        let rows = try r.rows(
            channel: [0, 0, 0, 0, 0, 0], channels: ["web"], lastChurnMRR: [1, 2, 4, 8, 16, 32], categories: [])
        let all = rows.filter { $0.channel == "(all)" }
        XCTAssertEqual(all.map(\.reason), ["(all)", "(No reason given)", "(no reason given)", "too slow"])
        XCTAssertEqual(all.map(\.customers), [6, 1, 1, 4])
        XCTAssertEqual(all.map(\.churnedMRRMinor), [63, 16, 32, 15])
    }

    /// A category key spelled like one of the pipeline's buckets maps the data's reason of that
    /// spelling, which outputs show escaped.
    func testACategoryKeySpelledLikeABucketMapsThatReason() throws {
        var r = ExitReasons(customers: 2)
        r.add(customer: 0, day: 1, reason: "(other)")
        r.add(customer: 1, day: 1, reason: "price")
        let rows = try r.rows(
            channel: [0, 0], channels: ["web"], lastChurnMRR: [5, 7], categories: [("(Other)", "misc")])
        XCTAssertEqual(
            rows.filter { $0.channel == "(all)" }.map { "\($0.category)/\($0.reason)" },
            ["(unmapped)/(all)", "(unmapped)/price", "misc/(all)", "misc/\\(other)"])
    }

    /// A reason spelled like a bucket in another case (`(Other)`) is the data's `(other)` (held
    /// escaped): one row, in the spelling most customers have. A key `(no reason given)` maps the
    /// pipeline's bucket and the data's reason of that spelling, which stay two rows.
    func testBucketLikeReasonsDifferingInCaseAreOneRow() throws {
        var r = ExitReasons(customers: 5)
        r.add(customer: 0, day: 1, reason: "(other)")
        r.add(customer: 1, day: 1, reason: "(Other)")
        r.add(customer: 2, day: 1, reason: "(Other)")
        r.add(customer: 3, day: 1, reason: "")
        r.add(customer: 4, day: 1, reason: "(no reason given)")
        let rows = try r.rows(
            channel: [0, 0, 0, 0, 0], channels: ["web"], lastChurnMRR: [1, 2, 4, 8, 16],
            categories: [("(no reason given)", "silent")])
        XCTAssertEqual(
            rows.filter { $0.channel == "(all)" }.map { "\($0.category)/\($0.reason)/\($0.customers)" },
            [
                "(unmapped)/(all)/3", "(unmapped)/(Other)/3", "silent/(all)/2", "silent/(no reason given)/1",
                "silent/\\(no reason given)/1",
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
