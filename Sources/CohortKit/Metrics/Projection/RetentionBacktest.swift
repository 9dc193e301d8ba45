/// How far to trust the projections: recompute them as of `months` earlier and compare with what
/// was then observed (docs/metrics.md#backtest).
///
/// Going back N months keeps each cohort's cells up to the month N months before the last
/// complete one (a cell's value never depends on later data: every cohort member started by its
/// first snapshot), projects from those, and compares each projected cell that has since been
/// observed. Per horizon h (months past the earlier cut-off, 1...N): the cells compared, the mean
/// absolute error in percentage points, and the share of observed values inside the interval.
public enum RetentionBacktest {
    public struct Horizon: Equatable, Sendable {
        /// Months after the earlier cut-off; 0 sums all horizons.
        public var horizon: Int
        public var cells: Int
        public var logoMAEPoints: Double?
        public var logoCoverage: Double?
        public var revenueCells: Int
        public var revenueMAEPoints: Double?
        public var revenueCoverage: Double?
    }

    /// The curves as they stood `months` before `lastMonth`.
    public static func truncate(_ curves: [RetentionProjection.Curve], lastMonth: Month, months: Int)
        -> [RetentionProjection.Curve]
    {
        let cut = lastMonth - months
        return curves.compactMap { c in
            guard c.cohort <= cut else { return nil }
            let keep = min(c.active.count, Int(cut.raw - c.cohort.raw) + 1)
            return RetentionProjection.Curve(
                cohort: c.cohort, customers: c.customers, active: Array(c.active.prefix(keep)),
                mrrStart: c.mrrStart, mrr: Array(c.mrr.prefix(keep)))
        }
    }

    /// Horizons 1...months, then the total (horizon 0); empty when `months` is 0.
    public static func run(
        _ curves: [RetentionProjection.Curve], lastMonth: Month, months: Int, maxOffset: Int, confidence: Double
    ) -> [Horizon] {
        guard months > 0 else { return [] }
        let cut = lastMonth - months
        let byCohort = Dictionary(curves.map { ($0.cohort, $0) }, uniquingKeysWith: { a, _ in a })
        let projected = RetentionProjection.project(
            truncate(curves, lastMonth: lastMonth, months: months), maxOffset: maxOffset, confidence: confidence)
        struct Sum {
            var n = 0, inside = 0, rn = 0, rinside = 0
            var err = 0.0, rerr = 0.0
        }
        var sums = Array(repeating: Sum(), count: months + 1)
        for p in projected {
            guard let actual = byCohort[p.cohort], p.offset <= actual.observedTo, actual.customers > 0 else { continue }
            let h = Int((p.cohort + p.offset).raw - cut.raw)
            guard h >= 1, h <= months else { continue }
            let logo = Double(actual.active[p.offset]) / Double(actual.customers)
            for i in [h, 0] {
                sums[i].n += 1
                sums[i].err += abs(p.logo - logo) * 100
                if logo >= p.logoLower - 1e-12 && logo <= p.logoUpper + 1e-12 { sums[i].inside += 1 }
            }
            if actual.mrrStart > 0, let r = p.revenue, let lo = p.revenueLower, let hi = p.revenueUpper {
                let revenue = Double(actual.mrr[p.offset]) / Double(actual.mrrStart)
                for i in [h, 0] {
                    sums[i].rn += 1
                    sums[i].rerr += abs(r - revenue) * 100
                    if revenue >= lo - 1e-12 && revenue <= hi + 1e-12 { sums[i].rinside += 1 }
                }
            }
        }
        return (Array(1...months) + [0]).map { h in
            let s = sums[h]
            return Horizon(
                horizon: h, cells: s.n, logoMAEPoints: s.n > 0 ? s.err / Double(s.n) : nil,
                logoCoverage: s.n > 0 ? Double(s.inside) / Double(s.n) : nil, revenueCells: s.rn,
                revenueMAEPoints: s.rn > 0 ? s.rerr / Double(s.rn) : nil,
                revenueCoverage: s.rn > 0 ? Double(s.rinside) / Double(s.rn) : nil)
        }
    }
}
