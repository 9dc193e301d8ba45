import XCTest

@testable import CohortKit

final class SortedPositionsTests: XCTestCase {
    /// Keys 3, 1, 3, 1, 2 with names d, c, a, c, b: the 1s (positions 1 and 3, both "c", so by
    /// position), the 2, then the 3s by name (a at 2 before d at 0).
    func testKeysThenTiesThenPositions() {
        let names = ["d", "c", "a", "c", "b"]
        var compared: [(Int, Int)] = []
        let order = SortedPositions.by([3, 1, 3, 1, 2]) { a, b in
            compared.append((a, b))
            return names[a] < names[b]
        }
        XCTAssertEqual(order, [1, 3, 4, 2, 0])
        // Only rows of equal keys are compared by name.
        XCTAssertFalse(compared.isEmpty)
        XCTAssertTrue(compared.allSatisfy { [$0.0, $0.1].sorted() == [1, 3] || [$0.0, $0.1].sorted() == [0, 2] })
    }

    /// The same order as sorting whole rows by (key, name, position), on rows with many ties.
    func testAgreesWithASortOfWholeRows() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let n = Int.random(in: 0..<300, using: &g)
            let keys = (0..<n).map { _ in UInt64.random(in: 0..<8, using: &g) }
            let names = (0..<n).map { _ in String(Int.random(in: 0..<5, using: &g)) }
            let expected = (0..<n).sorted { a, b in (keys[a], names[a], a) < (keys[b], names[b], b) }
            XCTAssertEqual(SortedPositions.by(keys) { names[$0] < names[$1] }, expected)
        }
    }

    /// Larger doubles first; -0.0 ties with 0.0; negatives after 0, NaN last.
    func testDescendingKeysOfDoubles() {
        let xs: [Double] = [0.5, -1, .nan, 0, 1e-300, -0.0, .infinity, 0.25, -.infinity, 1]
        let order = SortedPositions.by(xs.map(SortedPositions.descending)) { _, _ in false }
        XCTAssertEqual(order, [6, 9, 0, 7, 4, 3, 5, 1, 8, 2])
        XCTAssertEqual(SortedPositions.descending(0), SortedPositions.descending(-0.0))
    }
}
