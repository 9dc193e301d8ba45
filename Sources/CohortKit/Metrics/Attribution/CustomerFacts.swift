/// Per-customer facts churn-attribution computes from the paying intervals: MRR churned over the
/// trailing 12 months, the MRR lost at the latest churn, monthly logo-churn bases and events, and
/// whether the customer expanded within its first 12 months. Arrays are indexed like the customer
/// table (or a range of it).
public struct CustomerFacts: Sendable {
    /// Churned MRR (churn + contraction) over the last 12 complete months.
    public var churnedMRR12m: [Int64] = []
    /// The MRR on the last day of the latest stretch that ended on or before as_of (0 if none).
    public var lastChurnMRR: [Int64] = []
    /// Of the last 12 complete months, those that started with MRR above 0 (the logo-churn base).
    public var monthlyBase: [Int32] = []
    /// Of those, the months that ended with MRR 0.
    public var monthlyChurned: [Int32] = []
    /// Expansion within 12 months of the first start (nil: fewer than 12 complete months, or not converted).
    public var expanded: [Bool?] = []

    public init() {}

    /// The facts of one customer.
    public struct One: Equatable, Sendable {
        public var churnedMRR12m: Int64 = 0
        public var lastChurnMRR: Int64 = 0
        public var monthlyBase: Int32 = 0
        public var monthlyChurned: Int32 = 0
        public var expanded: Bool? = nil
    }

    /// The facts of one customer from its intervals (sorted by start), with `snaps` loaded from
    /// them; `firstStart` nil for a customer who never converted (no expansion then).
    public static func of(
        _ ivs: [PaidInterval], snaps: CustomerSnapshots, firstStart: Day?, initialMRR: Int64, lastMonth: Month
    ) throws -> One {
        var f = One()
        if let firstStart {
            f.expanded = SuccessPhases.expanded(
                snaps, firstStart: firstStart, initialMRR: initialMRR, lastMonth: lastMonth)
        }
        for k in 0..<12 {
            let m = lastMonth - k
            let prev = snaps.at(m - 1)
            let cur = snaps.at(m)
            if cur < prev {
                f.churnedMRR12m = try CheckedMinor.sum(
                    f.churnedMRR12m, try CheckedMinor.difference(prev, cur, "churned MRR"),
                    "a customer's churned MRR over 12 months")
            }
            if prev > 0 {
                f.monthlyBase += 1
                if cur == 0 { f.monthlyChurned += 1 }
            }
        }
        // The latest stretch end on or before as_of, and the MRR on its last day.
        var end: Int32 = Int32.min
        var unionEnd: Int32 = Int32.min
        for iv in ivs {
            if iv.start > unionEnd, unionEnd != Int32.min { end = unionEnd }
            unionEnd = max(unionEnd, iv.end)
        }
        if unionEnd != PaidInterval.open { end = unionEnd }
        if end != Int32.min { f.lastChurnMRR = try Activity.mrr(ivs, on: end - 1) }
        return f
    }

    /// The facts of `customers` (a range of the table) from the part of intervals.jsonl that
    /// holds their rows; the arrays are indexed from the range's start.
    public init(intervals ir: JSONLReader, table: CustomerTable, customers: Range<Int>, lastMonth: Month) throws {
        churnedMRR12m = Array(repeating: 0, count: customers.count)
        lastChurnMRR = Array(repeating: 0, count: customers.count)
        monthlyBase = Array(repeating: 0, count: customers.count)
        monthlyChurned = Array(repeating: 0, count: customers.count)
        expanded = Array(repeating: nil, count: customers.count)
        let stream = IntervalStream(ir)
        var ivs: [PaidInterval] = []
        var snaps = CustomerSnapshots()
        for ti in customers {
            let i = ti - customers.lowerBound
            try stream.intervals(of: table.ids[ti], into: &ivs)
            guard !ivs.isEmpty else { continue }
            try snaps.load(ivs, lastMonth: lastMonth)
            let one = try Self.of(
                ivs, snaps: snaps, firstStart: table.converted(ti) ? Day(raw: table.firstStart[ti]) : nil,
                initialMRR: table.initialMRR[ti], lastMonth: lastMonth)
            churnedMRR12m[i] = one.churnedMRR12m
            lastChurnMRR[i] = one.lastChurnMRR
            monthlyBase[i] = one.monthlyBase
            monthlyChurned[i] = one.monthlyChurned
            expanded[i] = one.expanded
        }
        try stream.finish()
    }

    /// The facts of consecutive ranges of customers joined into one, in order.
    public static func joined(_ parts: [CustomerFacts]) -> CustomerFacts {
        var f = CustomerFacts()
        for p in parts {
            f.churnedMRR12m += p.churnedMRR12m
            f.lastChurnMRR += p.lastChurnMRR
            f.monthlyBase += p.monthlyBase
            f.monthlyChurned += p.monthlyChurned
            f.expanded += p.expanded
        }
        return f
    }
}
