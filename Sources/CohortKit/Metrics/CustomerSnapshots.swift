/// One customer's MRR at every month-end snapshot `s(m)` from its first active month through the
/// last month whose snapshot is on or before `as_of`, in total and per product.
///
/// Computed once per customer from its intervals with difference arrays (O(intervals + months))
/// and reused by the triangle, movements and windows, and by churn attribution.
public struct CustomerSnapshots {
    /// Month of `mrr[0]`.
    public private(set) var firstMonth: Month = Month(raw: 0)
    public private(set) var lastMonth: Month = Month(raw: 0)
    /// Total MRR at `s(firstMonth + i)`.
    public private(set) var mrr: [Int64] = []
    /// Products the customer ever held, and their MRR per snapshot (`productMRR[p][i]`).
    public private(set) var products: [Int32] = []
    public private(set) var productMRR: [[Int64]] = []

    public init() {}

    /// Recomputes the snapshots for capped intervals (normalize writes them in start order; any
    /// order gives the same snapshots); `lastMonth` is the last month with `s(m) <= as_of`. Empty
    /// when there are no intervals or they start after `lastMonth`. Throws `MoneyOverflow` when
    /// the customer's MRR does not fit 64 bits.
    public mutating func load(_ intervals: [PaidInterval], lastMonth: Month) throws {
        self.lastMonth = lastMonth
        mrr.removeAll(keepingCapacity: true)
        products.removeAll(keepingCapacity: true)
        guard let earliest = intervals.lazy.map(\.start).min() else {
            firstMonth = lastMonth + 1
            return
        }
        var overflow = false
        firstMonth = Day(raw: earliest).month
        let n = lastMonth.raw - firstMonth.raw + 1
        guard n > 0 else { return }
        let count = Int(n)
        // Arrays keep their room from customer to customer: no allocation per customer.
        mrr.append(contentsOf: repeatElement(0, count: count + 1))
        for iv in intervals {
            let p: Int
            if let k = products.firstIndex(of: iv.product) {
                p = k
            } else {
                p = products.count
                products.append(iv.product)
                if productMRR.count < products.count { productMRR.append([]) }
                productMRR[p].removeAll(keepingCapacity: true)
                productMRR[p].append(contentsOf: repeatElement(0, count: count + 1))
            }
            let a = Int(Day(raw: iv.start).month.raw - firstMonth.raw)
            var b: Int
            if iv.isOpen {
                b = count - 1
            } else {
                let last = Day(raw: iv.end - 1)
                var mb = last.month
                if last != mb.lastDay { mb = mb - 1 }
                b = min(Int(mb.raw - firstMonth.raw), count - 1)
            }
            guard a <= b else { continue }
            CheckedMinor.add(&mrr[a], iv.mrrMinor, &overflow)
            CheckedMinor.subtract(&mrr[b + 1], iv.mrrMinor, &overflow)
            CheckedMinor.add(&productMRR[p][a], iv.mrrMinor, &overflow)
            CheckedMinor.subtract(&productMRR[p][b + 1], iv.mrrMinor, &overflow)
        }
        // Running sums turn the differences into each month's MRR.
        @inline(__always) func runningSums(_ v: inout [Int64]) {
            v.withUnsafeMutableBufferPointer { b in
                for i in 1..<count { CheckedMinor.add(&b[i], b[i - 1], &overflow) }
            }
            v.removeLast()
        }
        runningSums(&mrr)
        for p in 0..<products.count { runningSums(&productMRR[p]) }
        if overflow { throw MoneyOverflow(what: "a customer's MRR (the sum of its subscriptions at one month-end)") }
    }

    /// MRR at `s(m)`; zero outside the computed range (before the first interval).
    @inline(__always) public func at(_ m: Month) -> Int64 {
        let i = Int(m.raw - firstMonth.raw)
        return i >= 0 && i < mrr.count ? mrr[i] : 0
    }

    /// MRR of product slot `p` at `s(m)`.
    @inline(__always) public func at(_ m: Month, product p: Int) -> Int64 {
        let i = Int(m.raw - firstMonth.raw)
        return i >= 0 && i < mrr.count ? productMRR[p][i] : 0
    }
}

extension Month {
    public static func + (m: Month, n: Int) -> Month { Month(raw: m.raw + Int32(n)) }
    public static func - (m: Month, n: Int) -> Month { Month(raw: m.raw - Int32(n)) }

    /// The last month whose snapshot `s(m)` is on or before `asOf`.
    public static func lastComplete(asOf: Day) -> Month {
        let m = asOf.month
        return asOf == m.lastDay ? m : m - 1
    }
}
