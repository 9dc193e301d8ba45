/// Monthly MRR movements per channel (SPEC §5 "MRR movements").
///
/// Comparing each customer's MRR at `s(m-1)` and `s(m)`: 0 → >0 is `new` when the customer was
/// never active before the first day of m, else `reactivation`; >0 → 0 is `churn`; increases are
/// `expansion`, decreases `contraction`. Identity:
/// `mrr_end = mrr_start + new + reactivation + expansion - contraction - churn`.
public struct MovementsAccumulator {
    public struct Row: Equatable {
        public var start: Int64 = 0, new: Int64 = 0, expansion: Int64 = 0, contraction: Int64 = 0
        public var churn: Int64 = 0, reactivation: Int64 = 0, end: Int64 = 0
        public var customersStart = 0, customersEnd = 0, newCustomers = 0, reactivatedCustomers = 0, churnedCustomers = 0
    }

    public let firstMonth: Month
    public let lastMonth: Month
    public let channels: Int
    public private(set) var rows: [Row]

    public init(firstMonth: Month, lastMonth: Month, channels: Int) {
        self.firstMonth = firstMonth
        self.lastMonth = lastMonth
        self.channels = channels
        rows = Array(repeating: Row(), count: max(0, Int(lastMonth.raw - firstMonth.raw) + 1) * (channels + 1))
    }

    /// Adds the customers another accumulator of the same shape counted (a part of the file).
    public mutating func merge(_ o: MovementsAccumulator) {
        precondition(o.rows.count == rows.count)
        for i in rows.indices {
            rows[i].start += o.rows[i].start
            rows[i].new += o.rows[i].new
            rows[i].expansion += o.rows[i].expansion
            rows[i].contraction += o.rows[i].contraction
            rows[i].churn += o.rows[i].churn
            rows[i].reactivation += o.rows[i].reactivation
            rows[i].end += o.rows[i].end
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
            let prev = s.at(m - 1), cur = s.at(m)
            if prev == 0 && cur == 0 { continue }
            for g in [channel, channels] {
                let i = mi * (channels + 1) + g
                rows[i].start += prev
                rows[i].end += cur
                if prev > 0 { rows[i].customersStart += 1 }
                if cur > 0 { rows[i].customersEnd += 1 }
                if prev == 0 {
                    if m <= firstStartMonth { rows[i].new += cur; rows[i].newCustomers += 1 } else { rows[i].reactivation += cur; rows[i].reactivatedCustomers += 1 }
                } else if cur == 0 {
                    rows[i].churn += prev
                    rows[i].churnedCustomers += 1
                } else if cur > prev {
                    rows[i].expansion += cur - prev
                } else if cur < prev {
                    rows[i].contraction += prev - cur
                }
            }
        }
    }

    public func row(month m: Month, channel g: Int) -> Row { rows[Int(m.raw - firstMonth.raw) * (channels + 1) + g] }

    public func write(to w: JSONLWriter, channelNames: [String], order: [Int]) throws {
        let months = Int(lastMonth.raw - firstMonth.raw) + 1
        guard months > 0 else { return }
        for mi in 0..<months {
            for g in [channels] + order {
                let r = rows[mi * (channels + 1) + g]
                w.begin()
                w.line.key("month"); w.line.month(firstMonth + mi)
                w.line.key("channel"); w.line.string(g == channels ? "(all)" : channelNames[g])
                w.line.key("mrr_start_minor"); w.line.int(r.start)
                w.line.key("new_minor"); w.line.int(r.new)
                w.line.key("expansion_minor"); w.line.int(r.expansion)
                w.line.key("contraction_minor"); w.line.int(r.contraction)
                w.line.key("churn_minor"); w.line.int(r.churn)
                w.line.key("reactivation_minor"); w.line.int(r.reactivation)
                w.line.key("mrr_end_minor"); w.line.int(r.end)
                w.line.key("customers_start"); w.line.int(r.customersStart)
                w.line.key("customers_end"); w.line.int(r.customersEnd)
                w.line.key("new_customers"); w.line.int(r.newCustomers)
                w.line.key("reactivated_customers"); w.line.int(r.reactivatedCustomers)
                w.line.key("churned_customers"); w.line.int(r.churnedCustomers)
                try w.end()
            }
        }
    }
}
