import XCTest

@testable import CohortKit

final class SparseRowsTests: XCTestCase {
    func testDenseRowsKeepTheirNonZerosInColumnOrder() {
        let rows = SparseRows(dense: [0, 2, 0, -0.0, 0, 0, 1, 0, 3], columns: 3)
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows.starts, [0, 1, 1, 3])
        XCTAssertEqual(rows.columns, [1, 0, 2])
        XCTAssertEqual(rows.values, [2, 1, 3])
        XCTAssertNil(rows.problem(columns: 3))
        XCTAssertNotNil(rows.problem(columns: 2), "column 2 is out of range for 2 columns")
        XCTAssertEqual(SparseRows(dense: [], columns: 0, rows: 4).count, 4)
    }

    func testProblemsAreNamed() {
        var repeated = SparseRows()
        repeated.append(column: 0, value: 1)
        repeated.append(column: 0, value: 2)
        repeated.endRow()
        XCTAssertEqual(repeated.problem(columns: 2), "row 0 has column 0 out of order or out of range (2 columns)")
        var unfinished = SparseRows()
        unfinished.append(column: 0, value: 1)
        XCTAssertEqual(unfinished.problem(columns: 1), "row offsets do not span the 1 entries")
        var huge = SparseRows()
        huge.append(column: 1 << 32, value: 5)
        huge.endRow()
        XCTAssertNotNil(huge.problem(columns: 1), "a column past Int32 does not wrap into range")
    }

    /// The shifted walk visits, in column order, the row's entries and every shifted column, a
    /// shifted column's zero becoming −shift.
    func testShiftedWalkMergesTheShiftedColumns() {
        let rows = SparseRows(dense: [5, 0, 7, 0, 0, 0, 2, 0], columns: 4)
        let shift: [Double] = [0, 0.5, 3, 0]
        var seen: [[String]] = []
        for k in 0..<rows.count {
            var row: [String] = []
            rows.forEachShifted(k, shifted: [1, 2], shift: shift) { j, v in row.append("\(j):\(v)") }
            seen.append(row)
        }
        XCTAssertEqual(seen, [["0:5.0", "1:-0.5", "2:4.0"], ["1:-0.5", "2:-1.0"]])
    }
}
