import XCTest

@testable import CohortKit

/// Which values of a dimension get pairwise tests and Cox terms (`attribution.max_compared_values`).
final class AttributionValueLimitTests: XCTestCase {
    /// Levels a..e with 4, 9, 4, 1, 6 customers, e pooled as (other).
    func dimension() -> AttributionDimension {
        let sizes = [4, 9, 4, 1, 6]
        var level: [Int32] = []
        for (l, n) in sizes.enumerated() { level += Array(repeating: Int32(l), count: n) }
        level.append(-1)  // a customer outside the survival population
        return AttributionDimension(
            name: "plan", levels: ["a", "b", "c", "d", "(other)"], level: level, pooledLevel: 4)
    }

    func members(_ d: AttributionDimension) -> [[Int]] {
        var m = [[Int]](repeating: [], count: d.levels.count)
        for (k, l) in d.level.enumerated() where l >= 0 { m[Int(l)].append(k) }
        return m
    }

    func testPairwiseComparesTheLargestValuesInLevelOrder() {
        let d = dimension()
        // b 9, (other) 6, then a and c tie at 4: a first by name.
        XCTAssertEqual(Dimensions.comparedLevels(d, sizes: members(d).map(\.count), max: 3), [0, 1, 4])
        XCTAssertEqual(
            Dimensions.comparedLevels(d, sizes: members(d).map(\.count), max: 5), [0, 1, 2, 3, 4],
            "all while they fit")
    }

    func testCoxJoinsTheSmallerValuesToOther() {
        let d = Dimensions.capped(dimension(), max: 3)
        // Two values of their own (b, then a by name over c) and (other) for c, d and the pooled e.
        XCTAssertEqual(d.levels, ["a", "b", "(other)"])
        XCTAssertEqual(d.pooledLevel, 2)
        let counts = d.levels.indices.map { l in d.level.filter { $0 == Int32(l) }.count }
        XCTAssertEqual(counts, [4, 9, 4 + 1 + 6])
        XCTAssertEqual(d.level.last, -1)
        XCTAssertEqual(
            Dimensions.capped(dimension(), max: 5).levels, dimension().levels, "unchanged while they fit")
    }

    func testTenThousandValuesStayWithinTheLimit() {
        let n = 10_000
        let d = AttributionDimension(
            name: "sales_rep", levels: (0..<n).map { "rep\($0)" },
            level: (0..<(3 * n)).map { Int32($0 % n) }, pooledLevel: nil)
        XCTAssertEqual(Dimensions.comparedLevels(d, sizes: members(d).map(\.count), max: 20).count, 20)
        XCTAssertEqual(Dimensions.capped(d, max: 20).levels.count, 20)
    }
}
