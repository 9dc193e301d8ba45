import XCTest

@testable import CohortKit

/// The sorted-order shortcut answers exactly as a `FingerprintTable` over every row would.
final class SeenSubscriptionIDsTests: XCTestCase {
    /// A fingerprint per id: distinct ids get distinct keys here (the table keys by fingerprint).
    func key(_ id: String) -> UInt64 {
        var h: UInt64 = 1_469_598_103_934_665_603
        for b in id.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        return h
    }

    /// Feeds `ids` (line = position + 2, check = `checks[i]`) to both and compares every answer.
    func assertSameAnswers(_ ids: [String], checks: [UInt32], file: StaticString = #filePath, line: UInt = #line)
        -> SeenSubscriptionIDs
    {
        let seen = SeenSubscriptionIDs()
        let table = FingerprintTable()
        for (i, id) in ids.enumerated() {
            let a = seen.existingOrInsert(id, key: key(id), line: Int32(i + 2), check: checks[i])
            let b = table.existingOrInsert(key(id), line: Int32(i + 2), check: checks[i])
            XCTAssertEqual(a?.line, b?.line, "row \(i) (\(id))", file: file, line: line)
            XCTAssertEqual(a?.check, b?.check, "row \(i) (\(id))", file: file, line: line)
        }
        return seen
    }

    /// Sorted ids with a re-exported row and a reused id right after their first rows: answered
    /// from the previous row, no table built.
    func testSortedIDsWithAdjacentRepeats() {
        let ids = ["S1", "S2", "S2", "S3", "S3", "S3", "S4"]
        let seen = assertSameAnswers(ids, checks: [1, 2, 2, 3, 9, 3, 4])
        XCTAssertTrue(seen.isSortedSoFar)
        // The repeats name the first row with the id: S2 on line 3, S3 on line 5.
        let again = SeenSubscriptionIDs()
        for (i, id) in ids.enumerated() {
            let prev = again.existingOrInsert(id, key: key(id), line: Int32(i + 2), check: 0)
            switch i {
            case 2: XCTAssertEqual(prev?.line, 3)
            case 4, 5: XCTAssertEqual(prev?.line, 5)
            default: XCTAssertNil(prev, "row \(i)")
            }
        }
    }

    /// An id out of order moves every id seen so far into the table: a repeat of an early id
    /// after that is still found, with its first line.
    func testOutOfOrderSwitchesToTheTable() {
        let ids = ["A", "B", "C", "B", "A", "D", "C"]
        let seen = assertSameAnswers(ids, checks: [1, 2, 3, 2, 7, 4, 3])
        XCTAssertFalse(seen.isSortedSoFar)
        // Byte order, not length: "S10" sorts before "S9", so ["S9", "S10"] is out of order.
        XCTAssertFalse(assertSameAnswers(["S9", "S10", "S9"], checks: [1, 2, 1]).isSortedSoFar)
        XCTAssertTrue(assertSameAnswers(["S09", "S10", "S10"], checks: [1, 2, 2]).isSortedSoFar)
    }

    /// Seeded random files: sorted runs, repeats near and far, shuffled tails.
    func testRandomSequencesAgreeWithTheTable() {
        var rng = SplitMix64(seed: 20_261_130)
        for _ in 0..<200 {
            let n = 1 + Int(rng.next() % 300)
            var ids = (0..<n).map { String(format: "S%06d", $0 * 3) }
            // Repeats: some right after the row, some anywhere later.
            for _ in 0..<Int(rng.next() % 20) {
                let i = Int(rng.next() % UInt64(ids.count))
                let at = rng.next() % 2 == 0 ? i + 1 : Int(rng.next() % UInt64(ids.count + 1))
                ids.insert(ids[i], at: max(at, i + 1))
            }
            // Sometimes a shuffled tail.
            if rng.next() % 3 == 0, ids.count > 4 {
                let from = Int(rng.next() % UInt64(ids.count))
                var tail = Array(ids[from...])
                for k in stride(from: tail.count - 1, to: 0, by: -1) {
                    tail.swapAt(k, Int(rng.next() % UInt64(k + 1)))
                }
                ids.replaceSubrange(from..., with: tail)
            }
            let checks = ids.map { _ in UInt32(truncatingIfNeeded: rng.next() % 3) }
            _ = assertSameAnswers(ids, checks: checks)
        }
    }

    /// `reserve` sizes the in-order list once: ids in order up to the estimate never grow it.
    func testReserveSizesTheInOrderList() {
        let seen = SeenSubscriptionIDs()
        seen.reserve(5_000)
        let reserved = seen.inOrderCapacity
        XCTAssertGreaterThanOrEqual(reserved, 5_000)
        for i in 0..<5_000 {
            let id = "S" + String(100_000 + i)
            XCTAssertNil(seen.existingOrInsert(id, key: key(id), line: Int32(i + 2), check: 0))
        }
        XCTAssertTrue(seen.isSortedSoFar)
        XCTAssertEqual(seen.inOrderCapacity, reserved, "the list grew although it was reserved")
    }

    /// The row estimate behind `reserve` is capped: 1,024 two-byte rows at the head of a huge file
    /// must not size tables for half a trillion rows.
    func testRowEstimateIsCapped() {
        var huge = IngestStage.RowCountEstimate(fileBytes: 1 << 40)
        var normal = IngestStage.RowCountEstimate(fileBytes: 100 * 100_000)
        var hugeEstimate: Int?
        var normalEstimate: Int?
        for n in 1...1024 {
            hugeEstimate = huge.observe(row: n, rawBytes: 1) ?? hugeEstimate
            normalEstimate = normal.observe(row: n, rawBytes: 99) ?? normalEstimate
        }
        XCTAssertEqual(hugeEstimate, IngestStage.RowCountEstimate.maximum)
        XCTAssertEqual(normalEstimate, 110_000, "100,000 rows of 100 bytes, plus a tenth")
    }
}
