import XCTest

@testable import CohortKit

/// Normalize keeps every subscription as a `SubRow`: its MRR is split into two 32-bit halves to
/// keep the row at 28 bytes, so the halves must give back any 64-bit amount; a renewal on the line
/// after the term it renews is folded into that term's row as it is read.
final class NormalizeSubscriptionRowTests: XCTestCase {
    func testMRRRoundTripsEverySixtyFourBitAmount() {
        let amounts: [Int64] = [
            0, 1, -1, 4_999, 1 << 31, (1 << 31) - 1, 1 << 32, (1 << 32) - 1, (1 << 32) + 1, -(1 << 32),
            Int64.max, Int64.min, Int64.max - 1, Int64.min + 1, 0x1234_5678_9ABC_DEF0,
        ]
        for m in amounts {
            let row = NormalizeStage.SubRow(customer: 7, start: 19_000, end: 19_030, mrr: m, product: 2, plan: 3)
            XCTAssertEqual(row.mrr, m, "MRR \(m)")
            XCTAssertEqual([row.customer, row.start, row.end, row.product, row.plan], [7, 19_000, 19_030, 2, 3])
        }
    }

    func testRowHasNoPadding() {
        XCTAssertEqual(MemoryLayout<NormalizeStage.SubRow>.stride, 28)
    }

    /// Reads `lines` as one part of ingest's subscriptions.jsonl, customers C1 to C3 known.
    private func read(_ lines: [String]) throws -> NormalizeStage.SubscriptionPart {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("subs-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = lines.map { $0 + "\n" }.joined()
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let index = CustomerIdTable()
        for (n, id) in ["C1", "C2", "C3"].enumerated() { _ = index.existingOrInsert(id, line: n, rowHash: 0) }
        return try NormalizeStage.readSubscriptions(
            try JSONLReader(path: path), range: 0..<text.utf8.count, index: index, asOf: Day(iso: "2024-12-31")!.raw)
    }

    private func line(
        _ customer: String, _ start: String, _ end: String?, _ mrr: Int, product: String = "core",
        plan: String = "starter"
    ) -> String {
        let endField = end.map { #","end_date":"\#($0)""# } ?? ""
        return #"{"customer_id":"\#(customer)","product":"\#(product)","plan":"\#(plan)","start_date":"\#(start)""#
            + endField + #","mrr_minor":\#(mrr)}"#
    }

    func testARenewalOnTheNextLineIsFoldedIntoTheRowBeforeIt() throws {
        let p = try read([
            line("C1", "2024-01-01", "2024-02-01", 100),
            line("C1", "2024-02-01", "2024-03-01", 100, plan: "pro"),  // renewal (plan aside): folded
            line("C1", "2024-03-01", "2024-04-01", 120),  // new price: a row of its own
            line("C1", "2024-04-01", nil, 120),  // renewal still running: folded, open
            line("C2", "2024-01-01", "2024-02-01", 100),
            line("C2", "2024-01-10", "2024-01-10", 100),  // zero length: excluded
            line("C2", "2024-02-01", "2024-03-01", 100),  // back to back, but the line before was excluded
            line("C3", "2024-03-01", "2024-04-01", 100),  // another customer: never folded into C2's row
            line("C3", "2024-04-01", "2024-05-01", 100, product: "addon"),  // another product
        ])
        let open = PaidInterval.open
        let d = { (s: String) in Day(iso: s)!.raw }
        XCTAssertEqual(p.read, 9)
        XCTAssertEqual(p.zeroLength, 1)
        XCTAssertEqual(p.joinedOnRead, 2)
        let rows = p.rows.map { [$0.customer, $0.start, $0.end, Int32($0.mrr)] }
        XCTAssertEqual(
            rows,
            [
                [0, d("2024-01-01"), d("2024-03-01"), 100], [0, d("2024-03-01"), open, 120],
                [1, d("2024-01-01"), d("2024-02-01"), 100], [1, d("2024-02-01"), d("2024-03-01"), 100],
                [2, d("2024-03-01"), d("2024-04-01"), 100], [2, d("2024-04-01"), d("2024-05-01"), 100],
            ])
        // The folded row keeps the plan of the term it started with (the first subscription's plan).
        XCTAssertEqual(p.plans.names[Int(p.rows[0].plan)], "starter")
    }
}
