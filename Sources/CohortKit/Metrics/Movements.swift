/// Monthly MRR movements per channel (docs/metrics.md#mrr-movements).
///
/// Comparing each customer's MRR at `s(m-1)` and `s(m)`: 0 → >0 is `new` when the customer was
/// never active before the first day of m, else `reactivation`; >0 → 0 is `churn`; increases are
/// `expansion`, decreases `contraction`. Identity:
/// `mrr_end = mrr_start + new + reactivation + expansion - contraction - churn`.
public struct MovementsAccumulator {
    public struct Row: Equatable, GridCell {
        public var start: Int64 = 0, new: Int64 = 0, expansion: Int64 = 0, contraction: Int64 = 0
        public var churn: Int64 = 0, reactivation: Int64 = 0, end: Int64 = 0
        public var customersStart = 0, customersEnd = 0, newCustomers = 0, reactivatedCustomers = 0,
            churnedCustomers = 0
        public init() {}
        public mutating func add(_ o: Row, overflow: inout Bool) {
            CheckedMinor.add(&start, o.start, &overflow)
            CheckedMinor.add(&new, o.new, &overflow)
            CheckedMinor.add(&expansion, o.expansion, &overflow)
            CheckedMinor.add(&contraction, o.contraction, &overflow)
            CheckedMinor.add(&churn, o.churn, &overflow)
            CheckedMinor.add(&reactivation, o.reactivation, &overflow)
            CheckedMinor.add(&end, o.end, &overflow)
            customersStart += o.customersStart
            customersEnd += o.customersEnd
            newCustomers += o.newCustomers
            reactivatedCustomers += o.reactivatedCustomers
            churnedCustomers += o.churnedCustomers
        }
    }

    public let firstMonth: Month
    public let lastMonth: Month
    public let channels: Int
    /// Month × group: the channel slots, then `(all)` at `channels`.
    private(set) var grid: MonthChannelGrid<Row>
    /// The rows, channel by channel from each channel's start, then `(all)`.
    public var rows: [Row] { grid.cells }
    /// Whether an MRR sum left 64 bits; `write` then throws instead of writing wrapped totals.
    public var overflow: Bool { grid.overflow }

    /// `channelStarts`: per channel, the month its first customer started paying (nil: every
    /// channel from `firstMonth`); a channel has rows from then on, `(all)` from `firstMonth`.
    public init(firstMonth: Month, lastMonth: Month, channels: Int, channelStarts: [Month]? = nil) {
        self.firstMonth = firstMonth
        self.lastMonth = lastMonth
        self.channels = channels
        grid = MonthChannelGrid(
            firstMonth: firstMonth, lastMonth: lastMonth, groups: channels + 1,
            starts: channelStarts.map { $0.map { Int($0.raw - firstMonth.raw) } + [0] })
    }

    /// Adds the customers another accumulator of the same shape counted (a part of the file).
    public mutating func merge(_ o: MovementsAccumulator) { grid.merge(o.grid) }

    /// Adds one customer whose first paying day is `firstStart`.
    public mutating func add(channel: Int, firstStart: Day, snapshots s: CustomerSnapshots) {
        let months = grid.months
        let from = max(0, grid.monthIndex(s.firstMonth))
        guard from < months else { return }
        let firstStartMonth = firstStart.month
        let firstMonth = firstMonth
        let total = channels
        grid.withDenseCells { cells, overflow in
            @inline(__always) func count(_ r: UnsafeMutablePointer<Row>, _ m: Month, _ prev: Int64, _ cur: Int64) {
                CheckedMinor.add(&r.pointee.start, prev, &overflow)
                CheckedMinor.add(&r.pointee.end, cur, &overflow)
                if prev > 0 { r.pointee.customersStart += 1 }
                if cur > 0 { r.pointee.customersEnd += 1 }
                if prev == 0 {
                    if m <= firstStartMonth {
                        CheckedMinor.add(&r.pointee.new, cur, &overflow)
                        r.pointee.newCustomers += 1
                    } else {
                        CheckedMinor.add(&r.pointee.reactivation, cur, &overflow)
                        r.pointee.reactivatedCustomers += 1
                    }
                } else if cur == 0 {
                    CheckedMinor.add(&r.pointee.churn, prev, &overflow)
                    r.pointee.churnedCustomers += 1
                } else if cur > prev {
                    // Both are non-negative, so their difference always fits.
                    CheckedMinor.add(&r.pointee.expansion, cur - prev, &overflow)
                } else if cur < prev {
                    CheckedMinor.add(&r.pointee.contraction, prev - cur, &overflow)
                }
            }
            // A customer pays from its channel's first month on, so the channel has every cell
            // counted here; one that does not (it cannot come from normalize) counts in (all) only.
            let channelFrom = cells.start(of: channel)
            for mi in from..<months {
                let m = firstMonth + mi
                let prev = s.at(m - 1)
                let cur = s.at(m)
                if prev == 0 && cur == 0 { continue }
                // The customer's channel, then (all).
                if mi >= channelFrom { count(cells.at(month: mi, group: channel), m, prev, cur) }
                count(cells.at(month: mi, group: total), m, prev, cur)
            }
        }
    }

    public func row(month m: Month, channel g: Int) -> Row { grid.cell(month: grid.monthIndex(m), group: g) }

    public func write(to w: JSONLWriter, channelNames: [String], order: [Int]) throws {
        if overflow {
            throw MoneyOverflow(what: "the MRR movements' totals (mrr_start_minor, new_minor, churn_minor, ...)")
        }
        for mi in 0..<grid.months {
            // A channel's rows start at its first customer's month (the months before are empty).
            for g in [channels] + order where grid.has(month: mi, group: g) {
                try w.write(
                    MovementRecord(
                        month: firstMonth + mi, channel: g == channels ? "(all)" : channelNames[g],
                        grid.cell(month: mi, group: g)
                    ))
            }
        }
    }
}
