import XCTest

@testable import CohortKit

/// Normalize keeps every subscription as a `SubRow`: its MRR is split into two 32-bit halves to
/// keep the row at 28 bytes, so the halves must give back any 64-bit amount.
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
}
