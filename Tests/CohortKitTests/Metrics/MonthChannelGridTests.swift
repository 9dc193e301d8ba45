import XCTest

@testable import CohortKit

/// `MonthChannelGrid`: indexing, allocation on first use, and merge by cell-wise checked add.
final class MonthChannelGridTests: XCTestCase {
    /// A cell with a count and an amount, as the accumulators' cells hold.
    struct Cell: GridCell, Equatable {
        var n = 0
        var minor: Int64 = 0
        init() {}
        init(n: Int, minor: Int64) {
            self.n = n
            self.minor = minor
        }
        mutating func add(_ o: Cell, overflow: inout Bool) {
            n += o.n
            CheckedMinor.add(&minor, o.minor, &overflow)
        }
    }

    let jan = Month(year: 2024, month: 1)
    let feb = Month(year: 2024, month: 2)

    func testDenseIndexIsGroupMajorThenMonthThenDepth() {
        let g = MonthChannelGrid<Int>(firstMonth: jan, lastMonth: feb, groups: 3)
        XCTAssertEqual(g.months, 2)
        XCTAssertEqual(g.cells.count, 6)
        XCTAssertEqual(g.index(month: 0, group: 0), 0)
        XCTAssertEqual(g.index(month: 1, group: 2), 5)
        XCTAssertEqual(g.monthIndex(feb), 1)
        let deep = MonthChannelGrid<Int>(firstMonth: jan, lastMonth: feb, groups: 3, depth: 4)
        XCTAssertEqual(deep.cells.count, 24)
        XCTAssertEqual(deep.index(month: 1, group: 1), (1 * 2 + 1) * 4)
    }

    /// A dense grid whose groups start in different months holds each group's cells from its start:
    /// before it there are none (reads are empty), and merging keeps that shape.
    func testDenseGroupsStartAtTheirOwnMonth() {
        let mar = Month(year: 2024, month: 3)
        var g = MonthChannelGrid<Int>(firstMonth: jan, lastMonth: mar, groups: 3, starts: [2, 0, 1])
        XCTAssertEqual(g.cells.count, 1 + 3 + 2)
        XCTAssertNil(g.index(month: 1, group: 0))
        XCTAssertFalse(g.has(month: 0, group: 2))
        XCTAssertTrue(g.has(month: 1, group: 2))
        XCTAssertEqual(g.index(month: 2, group: 0), 0)
        XCTAssertEqual(g.index(month: 0, group: 1), 1)
        XCTAssertEqual(g.index(month: 2, group: 2), 5)
        g.withDenseCells { cells, _ in
            cells.at(month: 2, group: 0).pointee += 7
            cells.at(month: 1, group: 2).pointee += 3
            XCTAssertEqual(cells.start(of: 2), 1)
        }
        XCTAssertEqual(g.cell(month: 2, group: 0), 7)
        XCTAssertEqual(g.cell(month: 0, group: 0), 0, "no cells before the start: empty")
        XCTAssertEqual(g.cell(month: 1, group: 2), 3)
        var h = MonthChannelGrid<Int>(firstMonth: jan, lastMonth: mar, groups: 3, starts: [2, 0, 1])
        h.merge(g)
        h.merge(g)
        XCTAssertEqual(h.cells, [14, 0, 0, 0, 6, 0])
    }

    func testNoMonthsWhenLastIsBeforeFirst() {
        let g = MonthChannelGrid<Int>(firstMonth: feb, lastMonth: jan, groups: 3)
        XCTAssertEqual(g.months, 0)
        XCTAssertTrue(g.cells.isEmpty)
    }

    func testOnFirstUseAllocatesOnlyTouchedPairsInOrderOfUse() {
        var g = MonthChannelGrid<Int>(firstMonth: jan, lastMonth: feb, groups: 3, depth: 2, allocation: .onFirstUse)
        XCTAssertTrue(g.cells.isEmpty)
        XCTAssertNil(g.index(month: 1, group: 2))
        XCTAssertFalse(g.has(month: 1, group: 2))
        XCTAssertEqual(g.allocate(month: 1, group: 2), 0)
        XCTAssertEqual(g.allocate(month: 0, group: 0), 2)
        XCTAssertEqual(g.allocate(month: 1, group: 2), 0, "a pair keeps its cells")
        XCTAssertEqual(g.cells.count, 4)
        XCTAssertTrue(g.has(month: 1, group: 2))
        XCTAssertEqual(g.cell(month: 0, group: 1, 1), 0, "a pair without cells reads as empty")
    }

    func testMergeAddsCellByCell() {
        var a = MonthChannelGrid<Cell>(firstMonth: jan, lastMonth: feb, groups: 3)
        var b = a
        a.cells[5] = Cell(n: 1, minor: 100)
        b.cells[5] = Cell(n: 4, minor: 250)
        b.cells[0] = Cell(n: 2, minor: 7)
        a.merge(b)
        XCTAssertEqual(a.cell(month: 1, group: 2), Cell(n: 5, minor: 350))
        XCTAssertEqual(a.cell(month: 0, group: 0), Cell(n: 2, minor: 7))
        XCTAssertEqual(a.cell(month: 0, group: 1), Cell())
        XCTAssertFalse(a.overflow)
    }

    func testMergeOfSparseGridsGivesCellsToPairsOnlyTheOtherHas() {
        var a = MonthChannelGrid<Cell>(firstMonth: jan, lastMonth: feb, groups: 2, depth: 2, allocation: .onFirstUse)
        var b = a
        let i = a.allocate(month: 0, group: 1)
        a.cells[i + 1] = Cell(n: 1, minor: 10)
        let j = b.allocate(month: 0, group: 1)
        b.cells[j + 1] = Cell(n: 2, minor: 20)
        let k = b.allocate(month: 1, group: 0)
        b.cells[k] = Cell(n: 3, minor: 30)
        a.merge(b)
        XCTAssertEqual(a.cell(month: 0, group: 1, 1), Cell(n: 3, minor: 30))
        XCTAssertEqual(a.cell(month: 1, group: 0, 0), Cell(n: 3, minor: 30))
        XCTAssertFalse(a.has(month: 0, group: 0), "nothing counted there in either part")
        XCTAssertEqual(a.cells.count, 4)
    }

    func testMergeFlagsMoneyPast64BitsInsteadOfWrapping() {
        var a = MonthChannelGrid<Cell>(firstMonth: jan, lastMonth: jan, groups: 1)
        a.cells[0] = Cell(n: 1, minor: Int64.max / 2 + 1)
        let b = a
        a.merge(b)
        XCTAssertTrue(a.overflow)
        XCTAssertEqual(a.cells[0].n, 2, "counts still add")
        var c = MonthChannelGrid<Cell>(firstMonth: jan, lastMonth: jan, groups: 1)
        c.merge(a)
        XCTAssertTrue(c.overflow, "an overflow flagged in a part carries into the total")
    }
}
