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
    public struct Cell {
        public var customers = 0, active = 0
        public var mrrStart: Int64 = 0, mrr: Int64 = 0, grr: Int64 = 0
    }

    public let firstCohort: Month
    public let lastMonth: Month
    public let maxOffset: Int
    public let channels: Int
    /// `pooled[g]`: channel g also counts in the `(other)` group (see `ChannelRanking`).
    public let pooled: [Bool]
    /// Groups: channels `0..<channels`, then `(all)` at `channels`, then `(other)`.
    var groups: Int { channels + 2 }
    /// Cells are held per (cohort, group) that has customers: `block[c * groups + g]` is the
    /// index of its `maxOffset + 1` cells in `cells`, or -1. Many channels with few customers
    /// each then cost memory for the cohorts they have, not for every cohort.
    private(set) var block: [Int32]
    public private(set) var cells: [Cell] = []
    private var cohortSize: [Int]

    public init(firstCohort: Month, lastMonth: Month, maxOffset: Int, channels: Int, pooled: [Bool]? = nil) {
        self.firstCohort = firstCohort
        self.lastMonth = lastMonth
        self.maxOffset = maxOffset
        self.channels = channels
        self.pooled = pooled ?? Array(repeating: false, count: channels)
        let cohorts = max(0, Int(lastMonth.raw - firstCohort.raw) + 1)
        block = Array(repeating: -1, count: cohorts * (channels + 2))
        cohortSize = Array(repeating: 0, count: cohorts * (channels + 2))
    }

    /// The first cell of (cohort index c, group g), allocated on first use.
    private mutating func blockStart(_ c: Int, _ g: Int) -> Int {
        let key = c * groups + g
        if block[key] < 0 {
            block[key] = Int32(cells.count / (maxOffset + 1))
            cells.append(contentsOf: repeatElement(Cell(), count: maxOffset + 1))
        }
        return Int(block[key]) * (maxOffset + 1)
    }

    /// Whether an MRR sum left 64 bits; `write` then throws instead of writing wrapped totals.
    public private(set) var overflow = false

    /// Adds the customers another accumulator of the same shape counted (a part of the file).
    public mutating func merge(_ o: TriangleAccumulator) {
        precondition(o.block.count == block.count && o.cohortSize.count == cohortSize.count)
        overflow = overflow || o.overflow
        for key in o.block.indices where o.block[key] >= 0 {
            let mine = blockStart(key / groups, key % groups)
            let theirs = Int(o.block[key]) * (maxOffset + 1)
            for k in 0...maxOffset {
                cells[mine + k].customers += o.cells[theirs + k].customers
                cells[mine + k].active += o.cells[theirs + k].active
                CheckedMinor.add(&cells[mine + k].mrrStart, o.cells[theirs + k].mrrStart, &overflow)
                CheckedMinor.add(&cells[mine + k].mrr, o.cells[theirs + k].mrr, &overflow)
                CheckedMinor.add(&cells[mine + k].grr, o.cells[theirs + k].grr, &overflow)
            }
        }
        for i in cohortSize.indices { cohortSize[i] += o.cohortSize[i] }
    }

    /// Adds one converted customer of cohort `cohort` and channel `channel` (and to `(all)`, and
    /// to `(other)` when the channel is pooled).
    public mutating func add(cohort: Month, channel: Int, snapshots s: CustomerSnapshots) {
        let c = Int(cohort.raw - firstCohort.raw)
        guard c >= 0, cohort <= lastMonth else { return }
        let m0 = s.at(cohort)
        for g in [channel, channels, pooled[channel] ? channels + 1 : -1] where g >= 0 {
            cohortSize[c * groups + g] += 1
            let first = blockStart(c, g)
            var k = 0
            while k <= maxOffset, cohort + k <= lastMonth {
                let v = s.at(cohort + k)
                let i = first + k
                cells[i].customers += 1
                if v > 0 { cells[i].active += 1 }
                CheckedMinor.add(&cells[i].mrrStart, m0, &overflow)
                CheckedMinor.add(&cells[i].mrr, v, &overflow)
                CheckedMinor.add(&cells[i].grr, min(v, m0), &overflow)
                k += 1
            }
        }
    }

    /// Writes complete cells, then per channel and offset the `(weighted)` row pooling complete
    /// cells only. Channels are written `(all)` first, then in `order`, then `(other)` when some
    /// channels are pooled.
    public func write(to w: JSONLWriter, channelNames: [String], order: [Int]) throws {
        if overflow { throw MoneyOverflow(what: "the retention triangle's MRR totals (mrr_start_minor, mrr_minor)") }
        var pooledOverflow = false
        let cohorts = cohortSize.count / groups
        let other = pooled.contains(true) ? [channels + 1] : []
        for g in [channels] + order + other {
            let name = g == channels ? "(all)" : g == channels + 1 ? ChannelRanking.otherName : channelNames[g]
            var pooled = Array(repeating: Cell(), count: maxOffset + 1)
            for c in 0..<cohorts where cohortSize[c * groups + g] > 0 {
                let cohort = firstCohort + c
                let first = Int(block[c * groups + g]) * (maxOffset + 1)
                var k = 0
                while k <= maxOffset, cohort + k <= lastMonth {
                    let cell = cells[first + k]
                    try TriangleAccumulator.writeRow(
                        w, cohort: cohort.description, channel: name, offset: k, month: cohort + k, cell)
                    pooled[k].customers += cell.customers
                    pooled[k].active += cell.active
                    CheckedMinor.add(&pooled[k].mrrStart, cell.mrrStart, &pooledOverflow)
                    CheckedMinor.add(&pooled[k].mrr, cell.mrr, &pooledOverflow)
                    CheckedMinor.add(&pooled[k].grr, cell.grr, &pooledOverflow)
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
        w.begin()
        w.line.key("cohort")
        w.line.string(cohort)
        w.line.key("channel")
        w.line.string(channel)
        w.line.key("offset")
        w.line.int(offset)
        w.line.key("month")
        w.line.month(month)
        w.line.key("customers")
        w.line.int(c.customers)
        w.line.key("active")
        w.line.int(c.active)
        w.line.key("logo_retention")
        w.line.double(ratio(Int64(c.active), Int64(c.customers)))
        w.line.key("mrr_start_minor")
        w.line.int(c.mrrStart)
        w.line.key("mrr_minor")
        w.line.int(c.mrr)
        w.line.key("revenue_retention")
        w.line.double(ratio(c.mrr, c.mrrStart))
        w.line.key("gross_revenue_retention")
        w.line.double(ratio(c.grr, c.mrrStart))
        try w.end()
    }
}

/// `a / b`, nil when `b` is zero (docs/metrics.md#conventions: ratios with a zero denominator are null).
@inline(__always) public func ratio(_ a: Int64, _ b: Int64) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
