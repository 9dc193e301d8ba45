/// Retention triangle by cohort month × channel × offset (docs/metrics.md#retention-triangle).
///
/// Also for `(all)`, and for `(other)`: the channels `ChannelRanking` pools.
///
/// For cohort c and offset k the snapshot is `s(c+k)`; the cell exists only when `s(c+k) <= as_of`.
/// `logo_retention = active / customers`, `revenue_retention = mrr / mrr_start`,
/// `gross_revenue_retention = Σ min(mrr_i(k), mrr_i(0)) / mrr_start`. Example: a cohort of 2
/// paying 100 and 50 at s(c), where the first pays 150 and the second has left at s(c+1):
/// logo 0.5, revenue 1.0, gross 100/150.
public struct TriangleAccumulator {
    public struct Cell: GridCell, Equatable {
        public var customers = 0, active = 0
        public var mrrStart: Int64 = 0, mrr: Int64 = 0, grr: Int64 = 0
        public init() {}
        public mutating func add(_ o: Cell, overflow: inout Bool) {
            customers += o.customers
            active += o.active
            CheckedMinor.add(&mrrStart, o.mrrStart, &overflow)
            CheckedMinor.add(&mrr, o.mrr, &overflow)
            CheckedMinor.add(&grr, o.grr, &overflow)
        }
    }

    public let firstCohort: Month
    public let lastMonth: Month
    public let maxOffset: Int
    public let channels: Int
    /// `pooled[g]`: channel g also counts in the `(other)` group (see `ChannelRanking`).
    public let pooled: [Bool]
    /// Cohort × group, `maxOffset + 1` cells each, given cells when a customer is first counted in
    /// them: many channels with few customers each then cost memory for the cohorts they have, not
    /// for every cohort. A (cohort, group) with cells has customers.
    private(set) var grid: MonthChannelGrid<Cell>

    public init(firstCohort: Month, lastMonth: Month, maxOffset: Int, channels: Int, pooled: [Bool]? = nil) {
        self.firstCohort = firstCohort
        self.lastMonth = lastMonth
        self.maxOffset = maxOffset
        self.channels = channels
        self.pooled = pooled ?? Array(repeating: false, count: channels)
        grid = MonthChannelGrid(
            // Groups: channels `0..<channels`, then `(all)` at `channels`, then `(other)`.
            firstMonth: firstCohort, lastMonth: lastMonth, groups: channels + 2, depth: maxOffset + 1,
            allocation: .onFirstUse)
    }

    /// Whether an MRR sum left 64 bits; `write` then throws instead of writing wrapped totals.
    public var overflow: Bool { grid.overflow }

    /// Adds the customers another accumulator of the same shape counted (a part of the file).
    public mutating func merge(_ o: TriangleAccumulator) { grid.merge(o.grid) }

    /// Adds one converted customer of cohort `cohort` and channel `channel` (and to `(all)`, and
    /// to `(other)` when the channel is pooled).
    public mutating func add(cohort: Month, channel: Int, snapshots s: CustomerSnapshots) {
        let c = grid.monthIndex(cohort)
        guard c >= 0, cohort <= lastMonth else { return }
        let m0 = s.at(cohort)
        // The offsets 0...last this cohort has reached by lastMonth (at most maxOffset).
        let last = min(maxOffset, Int(lastMonth.raw - cohort.raw))
        // The customer's channel, (all), and (other) when its channel is pooled: their cells are
        // given in that order, then filled through one buffer (no uniqueness check per cell).
        let own = grid.allocate(month: c, group: channel)
        let all = grid.allocate(month: c, group: channels)
        let other = pooled[channel] ? grid.allocate(month: c, group: channels + 1) : -1
        guard last >= 0 else { return }
        var overflow = grid.overflow
        grid.cells.withUnsafeMutableBufferPointer { cells in
            let base = cells.baseAddress!
            @inline(__always) func count(_ p: UnsafeMutablePointer<Cell>, _ v: Int64) {
                p.pointee.customers += 1
                if v > 0 { p.pointee.active += 1 }
                CheckedMinor.add(&p.pointee.mrrStart, m0, &overflow)
                CheckedMinor.add(&p.pointee.mrr, v, &overflow)
                CheckedMinor.add(&p.pointee.grr, min(v, m0), &overflow)
            }
            for k in 0...last {
                let v = s.at(cohort + k)
                count(base + own + k, v)
                count(base + all + k, v)
                if other >= 0 { count(base + other + k, v) }
            }
        }
        grid.overflow = overflow
    }

    /// Writes complete cells, then per channel and offset the `(weighted)` row pooling complete
    /// cells only. Channels are written `(all)` first, then in `order`, then `(other)` when some
    /// channels are pooled.
    public func write(to w: JSONLWriter, channelNames: [String], order: [Int]) throws {
        if overflow { throw MoneyOverflow(what: "the retention triangle's MRR totals (mrr_start_minor, mrr_minor)") }
        var pooledOverflow = false
        let other = pooled.contains(true) ? [channels + 1] : []
        for g in [channels] + order + other {
            let name = g == channels ? "(all)" : g == channels + 1 ? ChannelRanking.otherName : channelNames[g]
            var pooled = Array(repeating: Cell(), count: maxOffset + 1)
            for c in 0..<grid.months {
                guard let first = grid.index(month: c, group: g) else { continue }
                let cohort = firstCohort + c
                var k = 0
                while k <= maxOffset, cohort + k <= lastMonth {
                    let cell = grid.cells[first + k]
                    try TriangleAccumulator.writeRow(
                        w, cohort: cohort.description, channel: name, offset: k, month: cohort + k, cell)
                    // A cohort without MRR at its start (signup months whose customers began
                    // paying later, under cohort_basis signup_date) has no revenue retention: its
                    // customers pool, its later MRR does not (it would lift the weighted ratio
                    // with no base under it).
                    var counted = cell
                    if cell.mrrStart == 0 { (counted.mrr, counted.grr) = (0, 0) }
                    pooled[k].add(counted, overflow: &pooledOverflow)
                    k += 1
                }
            }
            if pooledOverflow {
                throw MoneyOverflow(what: "the retention triangle's (weighted) MRR totals for channel \(name)")
            }
            for k in 0...maxOffset where pooled[k].customers > 0 {
                try TriangleAccumulator.writeRow(
                    w, cohort: "(weighted)", channel: name, offset: k, month: nil, pooled[k])
            }
        }
    }

    static func writeRow(_ w: JSONLWriter, cohort: String, channel: String, offset: Int, month: Month?, _ c: Cell)
        throws
    {
        try w.write(
            TriangleRecord(
                cohort: cohort, channel: channel, offset: offset, month: month, customers: c.customers,
                active: c.active,
                logoRetention: ratio(Int64(c.active), Int64(c.customers)), mrrStartMinor: c.mrrStart, mrrMinor: c.mrr,
                revenueRetention: ratio(c.mrr, c.mrrStart), grossRevenueRetention: ratio(c.grr, c.mrrStart)
            ))
    }
}

/// `a / b`, nil when `b` is zero (docs/metrics.md#conventions: ratios with a zero denominator are null).
@inline(__always) public func ratio(_ a: Int64, _ b: Int64) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
