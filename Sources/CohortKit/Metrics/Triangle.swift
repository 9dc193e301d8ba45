/// Retention triangle by cohort month × channel × offset (SPEC §5 "Retention triangle").
///
/// For cohort c and offset k the snapshot is `s(c+k)`; the cell exists only when `s(c+k) <= as_of`.
/// `logo_retention = active / customers`, `revenue_retention = mrr / mrr_start`,
/// `gross_revenue_retention = Σ min(mrr_i(k), mrr_i(0)) / mrr_start`. Example: a cohort of 2
/// paying 100 and 50 at s(c), where the first pays 150 and the second has left at s(c+1):
/// logo 0.5, revenue 1.0, gross 100/150.
public struct TriangleAccumulator {
    public struct Cell { public var customers = 0, active = 0; public var mrrStart: Int64 = 0, mrr: Int64 = 0, grr: Int64 = 0 }

    public let firstCohort: Month
    public let lastMonth: Month
    public let maxOffset: Int
    public let channels: Int
    /// cells[(cohortIndex * (channels + 1) + channel) * (maxOffset + 1) + k]; channel == channels is (all).
    public private(set) var cells: [Cell]
    private var cohortSize: [Int]

    public init(firstCohort: Month, lastMonth: Month, maxOffset: Int, channels: Int) {
        self.firstCohort = firstCohort
        self.lastMonth = lastMonth
        self.maxOffset = maxOffset
        self.channels = channels
        let cohorts = max(0, Int(lastMonth.raw - firstCohort.raw) + 1)
        cells = Array(repeating: Cell(), count: cohorts * (channels + 1) * (maxOffset + 1))
        cohortSize = Array(repeating: 0, count: cohorts * (channels + 1))
    }

    /// Whether an MRR sum left 64 bits; `write` then throws instead of writing wrapped totals.
    public private(set) var overflow = false

    /// Adds the customers another accumulator of the same shape counted (a part of the file).
    public mutating func merge(_ o: TriangleAccumulator) {
        precondition(o.cells.count == cells.count && o.cohortSize.count == cohortSize.count)
        overflow = overflow || o.overflow
        for i in cells.indices {
            cells[i].customers += o.cells[i].customers
            cells[i].active += o.cells[i].active
            CheckedMinor.add(&cells[i].mrrStart, o.cells[i].mrrStart, &overflow)
            CheckedMinor.add(&cells[i].mrr, o.cells[i].mrr, &overflow)
            CheckedMinor.add(&cells[i].grr, o.cells[i].grr, &overflow)
        }
        for i in cohortSize.indices { cohortSize[i] += o.cohortSize[i] }
    }

    @inline(__always) private func slot(_ c: Int, _ g: Int, _ k: Int) -> Int { (c * (channels + 1) + g) * (maxOffset + 1) + k }

    /// Adds one converted customer of cohort `cohort` and channel `channel`.
    public mutating func add(cohort: Month, channel: Int, snapshots s: CustomerSnapshots) {
        let c = Int(cohort.raw - firstCohort.raw)
        guard c >= 0, cohort <= lastMonth else { return }
        let m0 = s.at(cohort)
        for g in [channel, channels] {
            cohortSize[c * (channels + 1) + g] += 1
            var k = 0
            while k <= maxOffset, cohort + k <= lastMonth {
                let v = s.at(cohort + k)
                let i = slot(c, g, k)
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
    /// cells only. Channels are written `(all)` first, then in `order`.
    public func write(to w: JSONLWriter, channelNames: [String], order: [Int]) throws {
        if overflow { throw MoneyOverflow(what: "the retention triangle's MRR totals (mrr_start_minor, mrr_minor)") }
        var pooledOverflow = false
        let cohorts = cohortSize.count / (channels + 1)
        for g in [channels] + order {
            let name = g == channels ? "(all)" : channelNames[g]
            var pooled = Array(repeating: Cell(), count: maxOffset + 1)
            for c in 0..<cohorts where cohortSize[c * (channels + 1) + g] > 0 {
                let cohort = firstCohort + c
                var k = 0
                while k <= maxOffset, cohort + k <= lastMonth {
                    let cell = cells[slot(c, g, k)]
                    try TriangleAccumulator.writeRow(w, cohort: cohort.description, channel: name, offset: k, month: cohort + k, cell)
                    pooled[k].customers += cell.customers
                    pooled[k].active += cell.active
                    CheckedMinor.add(&pooled[k].mrrStart, cell.mrrStart, &pooledOverflow)
                    CheckedMinor.add(&pooled[k].mrr, cell.mrr, &pooledOverflow)
                    CheckedMinor.add(&pooled[k].grr, cell.grr, &pooledOverflow)
                    k += 1
                }
            }
            if pooledOverflow { throw MoneyOverflow(what: "the retention triangle's (weighted) MRR totals for channel \(name)") }
            for k in 0...maxOffset where pooled[k].customers > 0 {
                try TriangleAccumulator.writeRow(w, cohort: "(weighted)", channel: name, offset: k, month: nil, pooled[k])
            }
        }
    }

    static func writeRow(_ w: JSONLWriter, cohort: String, channel: String, offset: Int, month: Month?, _ c: Cell) throws {
        w.begin()
        w.line.key("cohort"); w.line.string(cohort)
        w.line.key("channel"); w.line.string(channel)
        w.line.key("offset"); w.line.int(offset)
        w.line.key("month"); w.line.month(month)
        w.line.key("customers"); w.line.int(c.customers)
        w.line.key("active"); w.line.int(c.active)
        w.line.key("logo_retention"); w.line.double(ratio(Int64(c.active), Int64(c.customers)))
        w.line.key("mrr_start_minor"); w.line.int(c.mrrStart)
        w.line.key("mrr_minor"); w.line.int(c.mrr)
        w.line.key("revenue_retention"); w.line.double(ratio(c.mrr, c.mrrStart))
        w.line.key("gross_revenue_retention"); w.line.double(ratio(c.grr, c.mrrStart))
        try w.end()
    }
}

/// `a / b`, nil when `b` is zero (SPEC §5: ratios with a zero denominator are null).
@inline(__always) public func ratio(_ a: Int64, _ b: Int64) -> Double? { b == 0 ? nil : Double(a) / Double(b) }
