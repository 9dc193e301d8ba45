/// Monthly MRR movements per channel (docs/metrics.md#mrr-movements).
///
/// Comparing each customer's MRR at `s(m-1)` and `s(m)`: 0 → >0 is `new` when the customer was
/// never active before the first day of m, else `reactivation`; >0 → 0 is `churn`; increases are
/// `expansion`, decreases `contraction`. Identity:
/// `mrr_end = mrr_start + new + reactivation + expansion - contraction - churn`.
public struct MovementsAccumulator {
    public struct Row: Equatable {
        public var start: Int64 = 0, new: Int64 = 0, expansion: Int64 = 0, contraction: Int64 = 0
        public var churn: Int64 = 0, reactivation: Int64 = 0, end: Int64 = 0
        public var customersStart = 0, customersEnd = 0, newCustomers = 0, reactivatedCustomers = 0,
            churnedCustomers = 0
    }

    public let firstMonth: Month
    public let lastMonth: Month
    public let channels: Int
    public private(set) var rows: [Row]
    /// Whether an MRR sum left 64 bits; `write` then throws instead of writing wrapped totals.
    public private(set) var overflow = false

    public init(firstMonth: Month, lastMonth: Month, channels: Int) {
        self.firstMonth = firstMonth
        self.lastMonth = lastMonth
        self.channels = channels
        rows = Array(repeating: Row(), count: max(0, Int(lastMonth.raw - firstMonth.raw) + 1) * (channels + 1))
    }

    /// Adds the customers another accumulator of the same shape counted (a part of the file).
    public mutating func merge(_ o: MovementsAccumulator) {
        precondition(o.rows.count == rows.count)
        overflow = overflow || o.overflow
        for i in rows.indices {
            CheckedMinor.add(&rows[i].start, o.rows[i].start, &overflow)
            CheckedMinor.add(&rows[i].new, o.rows[i].new, &overflow)
            CheckedMinor.add(&rows[i].expansion, o.rows[i].expansion, &overflow)
            CheckedMinor.add(&rows[i].contraction, o.rows[i].contraction, &overflow)
            CheckedMinor.add(&rows[i].churn, o.rows[i].churn, &overflow)
            CheckedMinor.add(&rows[i].reactivation, o.rows[i].reactivation, &overflow)
            CheckedMinor.add(&rows[i].end, o.rows[i].end, &overflow)
            rows[i].customersStart += o.rows[i].customersStart
            rows[i].customersEnd += o.rows[i].customersEnd
            rows[i].newCustomers += o.rows[i].newCustomers
            rows[i].reactivatedCustomers += o.rows[i].reactivatedCustomers
            rows[i].churnedCustomers += o.rows[i].churnedCustomers
        }
    }

    /// Adds one customer whose first paying day is `firstStart`.
    public mutating func add(channel: Int, firstStart: Day, snapshots s: CustomerSnapshots) {
        let months = Int(lastMonth.raw - firstMonth.raw) + 1
        let from = max(0, Int(s.firstMonth.raw - firstMonth.raw))
        guard from < months else { return }
        let firstStartMonth = firstStart.month
        for mi in from..<months {
            let m = firstMonth + mi
            let prev = s.at(m - 1)
            let cur = s.at(m)
            if prev == 0 && cur == 0 { continue }
            for g in [channel, channels] {
                let i = mi * (channels + 1) + g
                CheckedMinor.add(&rows[i].start, prev, &overflow)
                CheckedMinor.add(&rows[i].end, cur, &overflow)
                if prev > 0 { rows[i].customersStart += 1 }
                if cur > 0 { rows[i].customersEnd += 1 }
                if prev == 0 {
                    if m <= firstStartMonth {
                        CheckedMinor.add(&rows[i].new, cur, &overflow)
                        rows[i].newCustomers += 1
                    } else {
                        CheckedMinor.add(&rows[i].reactivation, cur, &overflow)
                        rows[i].reactivatedCustomers += 1
                    }
                } else if cur == 0 {
                    CheckedMinor.add(&rows[i].churn, prev, &overflow)
                    rows[i].churnedCustomers += 1
                } else if cur > prev {
                    // Both are non-negative, so their difference always fits.
                    CheckedMinor.add(&rows[i].expansion, cur - prev, &overflow)
                } else if cur < prev {
                    CheckedMinor.add(&rows[i].contraction, prev - cur, &overflow)
                }
            }
        }
    }

    public func row(month m: Month, channel g: Int) -> Row { rows[Int(m.raw - firstMonth.raw) * (channels + 1) + g] }

    public func write(to w: JSONLWriter, channelNames: [String], order: [Int]) throws {
        if overflow {
            throw MoneyOverflow(what: "the MRR movements' totals (mrr_start_minor, new_minor, churn_minor, ...)")
        }
        let months = Int(lastMonth.raw - firstMonth.raw) + 1
        guard months > 0 else { return }
        for mi in 0..<months {
            for g in [channels] + order {
                let r = rows[mi * (channels + 1) + g]
                w.begin()
                w.line.key("month")
                w.line.month(firstMonth + mi)
                w.line.key("channel")
                w.line.string(g == channels ? "(all)" : channelNames[g])
                w.line.key("mrr_start_minor")
                w.line.int(r.start)
                w.line.key("new_minor")
                w.line.int(r.new)
                w.line.key("expansion_minor")
                w.line.int(r.expansion)
                w.line.key("contraction_minor")
                w.line.int(r.contraction)
                w.line.key("churn_minor")
                w.line.int(r.churn)
                w.line.key("reactivation_minor")
                w.line.int(r.reactivation)
                w.line.key("mrr_end_minor")
                w.line.int(r.end)
                w.line.key("customers_start")
                w.line.int(r.customersStart)
                w.line.key("customers_end")
                w.line.int(r.customersEnd)
                w.line.key("new_customers")
                w.line.int(r.newCustomers)
                w.line.key("reactivated_customers")
                w.line.int(r.reactivatedCustomers)
                w.line.key("churned_customers")
                w.line.int(r.churnedCustomers)
                try w.end()
            }
        }
    }
}
