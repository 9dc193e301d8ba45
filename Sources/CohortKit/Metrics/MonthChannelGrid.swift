/// A cell of a `MonthChannelGrid`: counts and money that two parts of the input sum cell by cell.
public protocol GridCell {
    /// The empty cell (nothing counted).
    init()
    /// Adds `other`'s counts and money to this cell; a money sum that would leave 64 bits sets
    /// `overflow` instead (`CheckedMinor.add`), so the owner can throw before writing a wrapped total.
    mutating func add(_ other: Self, overflow: inout Bool)
}

extension Int: GridCell {
    public mutating func add(_ other: Int, overflow: inout Bool) { self += other }
}

/// Cells of one type over months × channel groups, `depth` cells per (month, group): the storage
/// of the triangle (cohort month × group × offset), the movements and the windows.
///
/// Groups are the accumulator's own: the channel slots, then `(all)` and any other totals. The
/// cells of a (month, group) pair are contiguous; `.dense` lays out every pair up front (pair p at
/// `p * depth`), `.onFirstUse` gives a pair its cells when something is first counted in it, so
/// many channels with few customers each cost memory for the months they have, not for every
/// month (the triangle, whose depth is `max_offset_months + 1`).
///
/// Example: 2 months × 3 groups, depth 1, dense: `index(month: 1, group: 2)` is 5; merging a grid
/// that counted 4 there into one that counted 1 leaves 5.
public struct MonthChannelGrid<Cell: GridCell> {
    /// How a (month, group) pair gets its cells.
    public enum Allocation: Sendable { case dense, onFirstUse }

    public let firstMonth: Month
    /// Months `firstMonth ..< firstMonth + months`.
    public let months: Int
    public let groups: Int
    /// Cells per (month, group).
    public let depth: Int
    public let allocation: Allocation
    /// `.onFirstUse` only: the block number of pair `month * groups + group`, or -1.
    private var block: [Int32]
    /// The cells, pair by pair (in allocation order for `.onFirstUse`).
    public internal(set) var cells: [Cell]
    /// Whether a money sum left 64 bits (in `merge`, or in an owner's checked add).
    public internal(set) var overflow = false

    /// An empty grid over `firstMonth ... lastMonth` (no months when `lastMonth < firstMonth`).
    public init(firstMonth: Month, lastMonth: Month, groups: Int, depth: Int = 1, allocation: Allocation = .dense) {
        self.firstMonth = firstMonth
        months = max(0, Int(lastMonth.raw - firstMonth.raw) + 1)
        self.groups = groups
        self.depth = depth
        self.allocation = allocation
        switch allocation {
        case .dense:
            block = []
            cells = Array(repeating: Cell(), count: months * groups * depth)
        case .onFirstUse:
            block = Array(repeating: -1, count: months * groups)
            cells = []
        }
    }

    /// The cells of a `.dense` grid as one buffer, for the hot loops that count a customer into
    /// many cells: no uniqueness check per cell written. `at(month:group:)` is the first cell of a
    /// (month index, group) pair, as `allocate` numbers it.
    public struct DenseCells {
        let base: UnsafeMutablePointer<Cell>
        let groups: Int
        let depth: Int
        @inline(__always) public func at(month mi: Int, group g: Int) -> UnsafeMutablePointer<Cell> {
            base + (mi * groups + g) * depth
        }
    }

    /// Calls `body` with a `.dense` grid's cells and its overflow flag (nothing is called when
    /// the grid has no cells).
    @inline(__always) public mutating func withDenseCells(_ body: (DenseCells, inout Bool) -> Void) {
        assert(allocation == .dense, "only a dense grid has every pair's cells from the start")
        let groups = groups
        let depth = depth
        var flag = overflow
        cells.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress else { return }
            body(DenseCells(base: base, groups: groups, depth: depth), &flag)
        }
        overflow = flag
    }

    /// Month index of `m` (0 for `firstMonth`; outside `0..<months` when `m` is out of range).
    @inline(__always) public func monthIndex(_ m: Month) -> Int { Int(m.raw - firstMonth.raw) }

    /// Whether (month index `mi`, group `g`) has cells: always for `.dense`, once counted for `.onFirstUse`.
    @inline(__always) public func has(month mi: Int, group g: Int) -> Bool {
        allocation == .dense || block[mi * groups + g] >= 0
    }

    /// Index in `cells` of the first cell of (month index `mi`, group `g`), nil when it has none.
    @inline(__always) public func index(month mi: Int, group g: Int) -> Int? {
        let pair = mi * groups + g
        switch allocation {
        case .dense: return pair * depth
        case .onFirstUse: return block[pair] < 0 ? nil : Int(block[pair]) * depth
        }
    }

    /// Index in `cells` of the first cell of (month index `mi`, group `g`), giving it cells first if needed.
    @inline(__always) public mutating func allocate(month mi: Int, group g: Int) -> Int {
        let pair = mi * groups + g
        if allocation == .dense { return pair * depth }
        if block[pair] < 0 {
            block[pair] = Int32(cells.count / depth)
            cells.append(contentsOf: repeatElement(Cell(), count: depth))
        }
        return Int(block[pair]) * depth
    }

    /// The cell at `k` (0 ..< depth) of (month index `mi`, group `g`); empty when the pair has no cells.
    public func cell(month mi: Int, group g: Int, _ k: Int = 0) -> Cell {
        index(month: mi, group: g).map { cells[$0 + k] } ?? Cell()
    }

    /// Adds, cell by cell, what another grid of the same shape counted (a part of the input);
    /// money sums are checked and set `overflow`.
    public mutating func merge(_ o: MonthChannelGrid) {
        precondition(
            o.months == months && o.groups == groups && o.depth == depth && o.allocation == allocation,
            "merging grids of different shapes")
        overflow = overflow || o.overflow
        for mi in 0..<months {
            for g in 0..<groups {
                guard let theirs = o.index(month: mi, group: g) else { continue }
                let mine = allocate(month: mi, group: g)
                for k in 0..<depth { cells[mine + k].add(o.cells[theirs + k], overflow: &overflow) }
            }
        }
    }
}
