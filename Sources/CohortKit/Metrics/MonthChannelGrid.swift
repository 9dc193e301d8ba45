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
/// cells of a (month, group) pair are contiguous. `.dense` lays out every pair up front, group by
/// group, each group from its own first month (`starts`: a channel has cells from the month of its
/// first customer on, so one customer in 1924 costs one channel a century of cells, not every
/// channel); `.onFirstUse` gives a pair its cells when something is first counted in it, so many
/// channels with few customers each cost memory for the months they have, not for every month
/// (the triangle, whose depth is `max_offset_months + 1`).
///
/// Example: 2 months × 3 groups, depth 1, dense from month 0: `index(month: 1, group: 2)` is 5;
/// merging a grid that counted 4 there into one that counted 1 leaves 5. With group 0 starting at
/// month 1, group 0 has one cell and `index(month: 0, group: 0)` is nil.
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
    /// `.dense` only: the first month index with cells, per group.
    public let starts: [Int]
    /// `.dense` only: per group, the index of its cells for month index 0 (negative or past its
    /// block when the group starts later): (month `mi`, group `g`) is at `origin[g] + mi * depth`.
    private let origin: [Int]
    /// `origin` and `starts` side by side in memory of their own, which the hot loops read through
    /// plain pointers (an array read there would be retained and released on every call).
    private let layout: GridLayout
    /// The cells, pair by pair (in allocation order for `.onFirstUse`).
    public internal(set) var cells: [Cell]
    /// Whether a money sum left 64 bits (in `merge`, or in an owner's checked add).
    public internal(set) var overflow = false

    /// An empty grid over `firstMonth ... lastMonth` (no months when `lastMonth < firstMonth`).
    /// `starts` (`.dense` only; every group from month 0 when nil): group g has cells for month
    /// indices `starts[g] ..< months` only; nothing may be counted before its start.
    public init(
        firstMonth: Month, lastMonth: Month, groups: Int, depth: Int = 1, allocation: Allocation = .dense,
        starts: [Int]? = nil
    ) {
        self.firstMonth = firstMonth
        let months = max(0, Int(lastMonth.raw - firstMonth.raw) + 1)
        self.months = months
        self.groups = groups
        self.depth = depth
        self.allocation = allocation
        precondition(
            starts == nil || (allocation == .dense && starts!.count == groups), "starts are per group of a dense grid")
        switch allocation {
        case .dense:
            block = []
            let starts = (starts ?? Array(repeating: 0, count: groups)).map { min(max(0, $0), months) }
            var origin: [Int] = []
            origin.reserveCapacity(groups)
            var next = 0
            for g in 0..<groups {
                origin.append(next - starts[g] * depth)
                next += (months - starts[g]) * depth
            }
            self.starts = starts
            self.origin = origin
            layout = GridLayout(origin: origin, starts: starts)
            cells = Array(repeating: Cell(), count: next)
        case .onFirstUse:
            block = Array(repeating: -1, count: months * groups)
            self.starts = []
            origin = []
            layout = GridLayout(origin: [], starts: [])
            cells = []
        }
    }

    /// The cells of a `.dense` grid as one buffer, for the hot loops that count a customer into
    /// many cells: no uniqueness check per cell written. `at(month:group:)` is the first cell of a
    /// (month index, group) pair, as `allocate` numbers it.
    public struct DenseCells {
        let base: UnsafeMutablePointer<Cell>
        let origin: UnsafePointer<Int>
        let starts: UnsafePointer<Int>
        let depth: Int
        /// The first cell of (month index `mi`, group `g`); `mi` must not be before the group's
        /// start (callers check `start(of:)` once per customer, not per cell).
        @inline(__always) public func at(month mi: Int, group g: Int) -> UnsafeMutablePointer<Cell> {
            assert(mi >= starts[g], "counted before the group's first month")
            return base + (origin[g] + mi * depth)
        }
        /// The first month index group `g` has cells for.
        @inline(__always) public func start(of g: Int) -> Int { starts[g] }
    }

    /// Calls `body` with a `.dense` grid's cells and its overflow flag (nothing is called when
    /// the grid has no cells).
    @inline(__always) public mutating func withDenseCells(_ body: (DenseCells, inout Bool) -> Void) {
        assert(allocation == .dense, "only a dense grid has every pair's cells from the start")
        let depth = depth
        var flag = overflow
        let (origin, starts) = (layout.origin, layout.starts)
        cells.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress else { return }
            body(DenseCells(base: base, origin: origin, starts: starts, depth: depth), &flag)
        }
        overflow = flag
    }

    /// Month index of `m` (0 for `firstMonth`; outside `0..<months` when `m` is out of range).
    @inline(__always) public func monthIndex(_ m: Month) -> Int { Int(m.raw - firstMonth.raw) }

    /// Whether (month index `mi`, group `g`) has cells: from the group's start for `.dense`, once
    /// counted for `.onFirstUse`.
    @inline(__always) public func has(month mi: Int, group g: Int) -> Bool {
        index(month: mi, group: g) != nil
    }

    /// Index in `cells` of the first cell of (month index `mi`, group `g`), nil when it has none.
    @inline(__always) public func index(month mi: Int, group g: Int) -> Int? {
        switch allocation {
        case .dense: return mi < starts[g] ? nil : origin[g] + mi * depth
        case .onFirstUse:
            let pair = mi * groups + g
            return block[pair] < 0 ? nil : Int(block[pair]) * depth
        }
    }

    /// Index in `cells` of the first cell of (month index `mi`, group `g`), giving it cells first if
    /// needed (a `.dense` grid has them from each group's start only).
    @inline(__always) public mutating func allocate(month mi: Int, group g: Int) -> Int {
        if allocation == .dense {
            precondition(mi >= starts[g], "counted before the group's first month")
            return origin[g] + mi * depth
        }
        let pair = mi * groups + g
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
            o.months == months && o.groups == groups && o.depth == depth && o.allocation == allocation
                && o.starts == starts,
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

/// A dense grid's per-group `origin` and `starts`, in memory the grid's copies share (it never
/// changes after the grid is made).
final class GridLayout {
    let origin: UnsafeMutablePointer<Int>
    let starts: UnsafeMutablePointer<Int>

    init(origin: [Int], starts: [Int]) {
        self.origin = .allocate(capacity: max(1, origin.count))
        self.origin.initialize(from: origin, count: origin.count)
        self.starts = .allocate(capacity: max(1, starts.count))
        self.starts.initialize(from: starts, count: starts.count)
    }

    deinit {
        origin.deallocate()
        starts.deallocate()
    }
}
