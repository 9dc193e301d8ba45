/// A customer's activity from its paying intervals (docs/metrics.md#intervals-and-activity).
public enum Activity {
    /// Caps intervals at `asOf` and drops what cannot count: intervals starting after `asOf`,
    /// zero-length ones and zero-MRR ones (which make no customer active). An interval still
    /// running after `asOf` becomes open (`PaidInterval.open`).
    public static func cap(_ intervals: inout [PaidInterval], asOf: Day) {
        intervals.removeAll { $0.start > asOf.raw || $0.start >= $0.end || $0.mrrMinor <= 0 }
        for i in intervals.indices where intervals[i].end > asOf.raw {
            intervals[i].end = PaidInterval.open
        }
    }

    /// Sorts intervals and bridges gaps of at most `graceDays` days in their union: every interval
    /// that covers the last day before such a gap is extended to the day the next one starts, so
    /// its product and MRR carry across. Returns the number of gaps bridged.
    ///
    /// Example (grace 7): [Jan 1, Feb 1) and [Feb 5, Mar 1) become [Jan 1, Feb 5) and [Feb 5, Mar 1).
    @discardableResult
    public static func bridge(_ intervals: inout [PaidInterval], graceDays: Int) -> Int {
        intervals.sort(by: order)
        guard graceDays > 0, intervals.count > 1 else { return 0 }
        var bridged = 0
        var unionEnd = intervals[0].end
        for j in 1..<intervals.count {
            let s = intervals[j].start
            if unionEnd != PaidInterval.open, s > unionEnd, Int(s) - Int(unionEnd) <= graceDays {
                for k in 0..<j where intervals[k].end == unionEnd { intervals[k].end = s }
                bridged += 1
                unionEnd = s
            }
            unionEnd = s > unionEnd ? intervals[j].end : max(unionEnd, intervals[j].end)
        }
        return bridged
    }

    /// Joins back-to-back intervals of one product at one MRR (a renewal at an unchanged price)
    /// into one, in sorted, bridged intervals, and returns how many were folded into an earlier
    /// one. MRR on every day, the products held on every day and the activity are unchanged: only
    /// rows go. An interval is compared with at most `lookBack` kept ones before it (other
    /// products' renewals interleave), so a customer with thousands of rows costs a few
    /// comparisons a row.
    ///
    /// Example: core [Jan 1, Feb 1) at 100, addon [Jan 1, Feb 1) at 20, core [Feb 1, Mar 1) at 100
    /// become core [Jan 1, Mar 1) at 100 and addon [Jan 1, Feb 1) at 20.
    @discardableResult
    public static func joinRenewals(_ intervals: inout [PaidInterval], lookBack: Int = 8) -> Int {
        guard intervals.count > 1 else { return 0 }
        var kept = 0  // intervals[0..<kept] are the result so far
        var joined = 0
        for j in intervals.indices {
            let iv = intervals[j]
            var k = kept - 1
            while k >= max(0, kept - lookBack) {
                let o = intervals[k]
                if o.end == iv.start, o.product == iv.product, o.mrrMinor == iv.mrrMinor { break }
                k -= 1
            }
            if k >= max(0, kept - lookBack) {
                intervals[k].end = iv.end
                joined += 1
            } else {
                intervals[kept] = iv
                kept += 1
            }
        }
        intervals.removeLast(intervals.count - kept)
        // A longer interval may now sort after one that started with it.
        if joined > 0 { intervals.sort(by: order) }
        return joined
    }

    /// The order intervals are kept and written in: start, end, product, MRR.
    static func order(_ a: PaidInterval, _ b: PaidInterval) -> Bool {
        (a.start, a.end, a.product, a.mrrMinor) < (b.start, b.end, b.product, b.mrrMinor)
    }

    /// The first activity stretch of sorted, bridged intervals: `[start, end)`, `end` open when it
    /// reaches past `as_of`. Nil when there are no intervals.
    public static func firstStretch(_ intervals: [PaidInterval]) -> (start: Int32, end: Int32)? {
        guard let first = intervals.first else { return nil }
        var end = first.end
        for iv in intervals.dropFirst() {
            if end == PaidInterval.open || iv.start > end { break }
            end = max(end, iv.end)
        }
        return (first.start, end)
    }

    /// MRR on day `d`: the sum over intervals covering it; throws `MoneyOverflow` past 64 bits.
    public static func mrr(_ intervals: [PaidInterval], on d: Int32) throws -> Int64 {
        var total: Int64 = 0
        for iv in intervals where iv.covers(d) {
            total = try CheckedMinor.sum(total, iv.mrrMinor, "a customer's MRR on \(Day(raw: d))")
        }
        return total
    }
}
