import Dispatch
import XCTest

@testable import CohortKit

/// The customer table answers as a dictionary would, whichever path (the sorted walk or the hash
/// index) gives the answer.
final class CustomerIdTableTests: XCTestCase {
    /// Runs `ops` (insert or look up) against the table and a dictionary and compares every answer.
    func assertSameAnswers(
        _ table: CustomerIdTable, _ ops: [(insert: Bool, id: String)], file: StaticString = #filePath,
        line: UInt = #line
    ) {
        var reference: [String: (line: Int, rowHash: UInt64)] = [:]
        for (i, op) in ops.enumerated() {
            if op.insert {
                let hash = UInt64(op.id.utf8.count * 31 + i)
                let got = table.existingOrInsert(op.id, line: i, rowHash: hash)
                let want = reference[op.id]
                if want == nil { reference[op.id] = (i, hash) }
                XCTAssertEqual(got?.line, want?.line, "insert \(i) (\(op.id))", file: file, line: line)
                XCTAssertEqual(got?.rowHash, want?.rowHash, "insert \(i) (\(op.id))", file: file, line: line)
            } else {
                XCTAssertEqual(
                    table.contains(op.id), reference[op.id] != nil, "lookup \(i) (\(op.id))", file: file, line: line)
            }
        }
        XCTAssertEqual(table.count, reference.count, file: file, line: line)
    }

    func id(_ n: Int) -> String { "C" + String(repeating: "0", count: max(0, 7 - String(n).count)) + String(n) }

    /// Ids inserted in order and looked up in order, with gaps and unknown ids between known ones:
    /// every answer comes from the walk, and no hash index is ever built.
    func testSortedInsertsAndInOrderLookupsNeedNoIndex() {
        let table = CustomerIdTable()
        var ops: [(insert: Bool, id: String)] = (0..<1000).map { (true, id($0 * 2)) }
        // A repeated customer row right after its first one is answered from the last entry.
        ops.append((true, id(1998)))
        for n in 0..<2000 where n % 7 != 3 { ops.append((false, id(n))) }
        ops.append((false, id(5000)))  // past the last id
        assertSameAnswers(table, ops)
        XCTAssertFalse(table.isIndexed)
    }

    /// A lookup behind the cursor, or further ahead than the walk goes, is answered by a binary
    /// search while such lookups are few; a repeat of an earlier customer keeps the order too.
    func testOccasionalLookupsOutOfOrderAreSearched() {
        let table = CustomerIdTable()
        var ops: [(insert: Bool, id: String)] = (0..<500).map { (true, id($0 * 3)) }
        ops += [(true, id(30)), (true, id(1497))]  // repeats, not of the last row
        ops += [(false, id(900)), (false, id(3)), (false, id(4)), (false, id(1497)), (false, id(1498))]
        ops += [(false, id(6)), (false, id(6 + 3 * (CustomerIdTable.walk + 5))), (false, id(0)), (false, "B")]
        assertSameAnswers(table, ops)
        XCTAssertFalse(table.isIndexed)
    }

    /// Lookups in no order at all: after `searchesBeforeIndex` searches the hash index is built,
    /// and answers stay right on both sides of the switch.
    func testManyLookupsOutOfOrderBuildTheIndex() {
        var rng = SplitMix64(seed: 3)
        let table = CustomerIdTable()
        var ops: [(insert: Bool, id: String)] = (0..<3000).map { (true, id($0 * 2)) }
        var lookups = (0..<6000).map { id($0) }
        lookups.shuffle(using: &rng)
        ops += lookups.map { (false, $0) }
        ops += [(true, id(6001)), (true, id(1)), (false, id(1)), (false, id(3))]
        assertSameAnswers(table, ops)
        XCTAssertTrue(table.isIndexed)
    }

    /// A new id smaller than the last one ends the sorted order: the index is built and answers.
    func testANewIdOutOfOrderBuildsTheIndex() {
        let table = CustomerIdTable()
        var ops: [(insert: Bool, id: String)] = (0..<200).map { (true, id($0 * 2)) }
        ops += [(true, id(101)), (true, id(101)), (false, id(101)), (false, id(102)), (false, id(103))]
        ops += [(true, id(500)), (false, id(500)), (true, id(0))]
        assertSameAnswers(table, ops)
        XCTAssertTrue(table.isIndexed)
    }

    /// Ids out of order: the first one not greater than the last builds the index; repeats of any
    /// earlier id return its first line and hash, and later ids keep going into the index.
    func testInsertsOutOfOrderAndRepeats() {
        var rng = SplitMix64(seed: 17)
        var ids = (0..<3000).map { id($0) }
        ids.shuffle(using: &rng)
        var ops: [(insert: Bool, id: String)] = ids.prefix(2000).map { (true, $0) }
        ops += ids.prefix(300).map { (true, $0) }  // repeats
        ops += ids.map { (false, $0) }
        ops += ids.suffix(1000).map { (true, $0) }
        ops += ids.map { (false, $0) }
        let table = CustomerIdTable()
        assertSameAnswers(table, ops)
        XCTAssertTrue(table.isIndexed)
    }

    /// Every key squeezed into 4 hash values: slots and tags collide, and only the byte
    /// comparison tells ids apart, including ids that are prefixes of one another.
    func testCollidingHashesAreToldApartByTheirBytes() {
        var rng = SplitMix64(seed: 5)
        var ids = ["A", "AB", "A ", "ABC", "B", "é", "e\u{301}", "a", "AA"] + (0..<500).map { "x\($0)" }
        ids.shuffle(using: &rng)
        var ops: [(insert: Bool, id: String)] = ids.map { (true, $0) }
        ops += ids.map { (true, $0) }
        ops += (ids + ["ABCD", "", "x500", "x-1"]).map { (false, $0) }
        assertSameAnswers(CustomerIdTable(hashMask: 3), ops)
    }

    /// Ids that are the same text in another Unicode form are one customer, as they are to the
    /// later stages' dictionaries: é composed and decomposed, the Kelvin sign and K, the Greek
    /// question mark and the semicolon.
    func testCanonicallyEquivalentIdsAreOneCustomer() {
        let table = CustomerIdTable()
        XCTAssertNil(table.existingOrInsert("caf\u{E9}", line: 2, rowHash: 1))
        XCTAssertEqual(table.existingOrInsert("cafe\u{301}", line: 3, rowHash: 1)?.line, 2)
        XCTAssertNil(table.existingOrInsert("K1", line: 4, rowHash: 1))
        XCTAssertTrue(table.contains("\u{212A}1"))
        XCTAssertNil(table.existingOrInsert("C\u{37E}9", line: 5, rowHash: 1))
        XCTAssertTrue(table.contains("C;9"))
        XCTAssertFalse(table.contains("cafe"))
        XCTAssertEqual(table.count, 3)
    }

    /// Sorted by bytes, prefixes come first: "C1" < "C10" < "C2", and a lookup of a prefix of a
    /// known id is not a match.
    func testPrefixesInSortedOrder() {
        let ops: [(insert: Bool, id: String)] = [
            (true, "C1"), (true, "C10"), (true, "C100"), (true, "C2"),
            (false, "C"), (false, "C1"), (false, "C10"), (false, "C1000"), (false, "C2"), (false, "C20"),
        ]
        let table = CustomerIdTable()
        assertSameAnswers(table, ops)
    }

    /// Entry numbers follow the order of first insert, and readers on several threads, each with its
    /// own cursor, get the same numbers whether their lookups walk, search or (once one of them has
    /// made enough searches) go through the index built for them.
    func testReadersOnSeveralThreadsGetTheInsertOrderNumbers() {
        for unsortedTail in [false, true] {
            let table = CustomerIdTable()
            var ids = (0..<20_000).map { id($0 * 2) }
            if unsortedTail { ids.append("A-out-of-order") }
            for (i, x) in ids.enumerated() { XCTAssertNil(table.existingOrInsert(x, line: i, rowHash: 0)) }
            var rng = SplitMix64(seed: 11)
            let ordered = (0..<40_000).map { id($0) }
            let shuffled = ordered.shuffled(using: &rng)
            var wrong = [Int](repeating: 0, count: 4)
            wrong.withUnsafeMutableBufferPointer { out in
                DispatchQueue.concurrentPerform(iterations: 4) { k in
                    var cursor = CustomerIdTable.Cursor()
                    var bad = 0
                    for (j, x) in (k % 2 == 0 ? ordered : shuffled).enumerated() {
                        let n = Int(x.dropFirst())!
                        let want = n % 2 == 0 ? n / 2 : nil
                        if table.number(of: x, &cursor) != want { bad += 1 }
                        if j == 100, k == 1 { _ = table.number(of: "A-out-of-order", &cursor) }
                    }
                    out[k] = bad
                }
            }
            XCTAssertEqual(wrong, [0, 0, 0, 0], "unsorted tail: \(unsortedTail)")
            // Sorted, the index exists only because the shuffled readers' searches ran out.
            XCTAssertTrue(table.isIndexed)
            var cursor = CustomerIdTable.Cursor()
            XCTAssertEqual(table.number(of: "A-out-of-order", &cursor), unsortedTail ? 20_000 : nil)
        }
    }

    /// Absent ids looked up in order, several in one gap between known ones, are answered by the
    /// walk: the cursor stays below them, so none costs a binary search.
    func testAbsentIdsInOrderCostNoSearch() {
        let table = CustomerIdTable()
        for n in 0..<1000 { XCTAssertNil(table.existingOrInsert(id(n * 10), line: n, rowHash: 0)) }
        var cursor = CustomerIdTable.Cursor()
        for n in 0..<10_000 {
            XCTAssertEqual(table.number(of: id(n), &cursor), n % 10 == 0 ? n / 10 : nil, id(n))
        }
        XCTAssertEqual(cursor.searches, 0)
        XCTAssertFalse(table.isIndexed)
    }

    /// Reserving before or after the index exists changes no answer.
    func testReserveKeepsAnswers() {
        let table = CustomerIdTable()
        table.reserveCapacity(10)
        var ops: [(insert: Bool, id: String)] = (0..<100).map { (true, id(99 - $0)) }
        assertSameAnswers(table, ops)
        table.reserveCapacity(100_000)
        ops = (0..<200).map { (false, id($0)) }
        for (i, op) in ops.enumerated() { XCTAssertEqual(table.contains(op.id), i < 100) }
    }
}
