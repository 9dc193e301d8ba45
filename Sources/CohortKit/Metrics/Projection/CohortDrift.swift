import Foundation

/// Drift alerts: a cohort whose newest cell (the last complete month) falls below the band of its
/// predecessors at the same age (docs/metrics.md#drift-alerts).
///
/// For cohort c whose newest cell is at age k >= 1, the predecessors are the up to `window` cohorts before it
/// observed at k. Their pooled retention `p = Σ active / Σ customers` and the spread `s` of their
/// own retentions (sample standard deviation) give the band's lower edge
/// `min(p − z · s, b / n_c)`: cohort-to-cohort variation, or the cohort's own binomial noise when
/// that is wider, `b` being the smallest count a cohort of `n_c` customers keeps with probability
/// at least α (the band's one-sided level) when each stays with the predecessors' rate
/// `(Σ active + 1) / (Σ customers + 2)` (exact binomial; the +1/+2 keep a record of 100% from
/// making any loss impossible). So a small cohort is not flagged for being small, nor a cohort of
/// one for losing its only customer. At least `minPredecessors` are needed.
public enum CohortDrift {
    public struct Alert: Equatable, Sendable {
        public var cohort: Month
        public var offset: Int
        public var logo: Double
        public var bandLower: Double
        public var predecessorsRetention: Double
        public var predecessors: Int
    }

    public static let window = 12
    public static let minPredecessors = 3

    /// The cells judged this run in `curves` (one channel): cohorts whose newest cell is in
    /// `lastMonth` with enough predecessors.
    public static func checks(_ curves: [RetentionProjection.Curve], lastMonth: Month) -> Int {
        candidates(curves, lastMonth: lastMonth).count
    }

    private static func candidates(_ curves: [RetentionProjection.Curve], lastMonth: Month) -> [(
        Int, ArraySlice<RetentionProjection.Curve>
    )] {
        var out: [(Int, ArraySlice<RetentionProjection.Curve>)] = []
        for (i, c) in curves.enumerated()
        where c.customers > 0 && c.observedTo >= 1 && c.cohort + c.observedTo == lastMonth {
            let k = c.observedTo
            let before = curves[..<i].filter { $0.observedTo >= k && $0.customers > 0 }.suffix(window)
            if before.count >= minPredecessors { out.append((i, ArraySlice(before))) }
        }
        return out
    }

    /// The alerts among `curves` (one channel), cohort order: only cohorts whose newest cell is
    /// in `lastMonth`, so an old cohort is judged once, in the month its cell appears. The band is
    /// two-sided at `confidence`, Bonferroni-adjusted for the `checks` cells judged in the whole
    /// run (every channel): a run of cohorts in line with their predecessors raises an alert
    /// with probability about `(1 − confidence) / 2` at most, however many channels it has.
    public static func alerts(_ curves: [RetentionProjection.Curve], lastMonth: Month, confidence: Double, checks: Int)
        -> [Alert]
    {
        let alpha = (1 - confidence) / (2 * Double(max(1, checks)))
        let z = Normal.quantile(1 - alpha)
        var out: [Alert] = []
        for (i, before) in candidates(curves, lastMonth: lastMonth) {
            let c = curves[i]
            let k = c.observedTo
            let active = before.reduce(0) { $0 + $1.active[k] }
            let customers = before.reduce(0) { $0 + $1.customers }
            let p = Double(active) / Double(customers)
            let rates = before.map { Double($0.active[k]) / Double($0.customers) }
            let mean = rates.reduce(0, +) / Double(rates.count)
            let s = (rates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rates.count - 1)).squareRoot()
            let rate = Double(active + 1) / Double(customers + 2)
            let kept = binomialLowerCount(n: c.customers, rate: rate, alpha: alpha)
            let lower = min(p - z * s, Double(kept) / Double(c.customers))
            let observed = Double(c.active[k]) / Double(c.customers)
            if observed < lower {
                out.append(
                    Alert(
                        cohort: c.cohort, offset: k, logo: observed, bandLower: lower, predecessorsRetention: p,
                        predecessors: before.count))
            }
        }
        return out
    }

    /// The smallest k with P(X ≤ k) ≥ `alpha` for X ~ Binomial(n, rate), 0 < rate < 1: fewer than
    /// k of n is below the binomial noise at level `alpha`. The probabilities are summed from 0 in
    /// logarithms (a large cohort's P(X = 0) is far below the smallest double).
    ///
    /// - Complexity: O(k).
    static func binomialLowerCount(n: Int, rate: Double, alpha: Double) -> Int {
        let logAlpha = log(alpha)
        let odds = log(rate) - log1p(-rate)
        var logPMF = Double(n) * log1p(-rate)
        var logCDF = logPMF
        var k = 0
        while logCDF < logAlpha && k < n {
            logPMF += log(Double(n - k) / Double(k + 1)) + odds
            k += 1
            let (hi, lo) = logCDF > logPMF ? (logCDF, logPMF) : (logPMF, logCDF)
            logCDF = hi + log1p(exp(lo - hi))
        }
        return k
    }
}
