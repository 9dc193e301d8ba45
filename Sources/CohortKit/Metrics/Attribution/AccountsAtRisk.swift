import Foundation

/// Accounts at risk: the Cox model's 90-day churn probability of each active account, given the
/// days it has already survived, times its MRR (docs/metrics.md#accounts-at-risk).
public enum AccountsAtRisk {
    /// The horizon of the probability, in days.
    public static let horizonDays: Int64 = 90
    /// Touch tiers in row order.
    public static let tiers = ["high_touch", "low_touch", "tech_touch"]
    /// Expected losses below this (2^62, far above any MRR the pipeline accepts) keep their order
    /// in the ranking key; larger ones rank as equal to it, then by customer id.
    static let lossMask: UInt64 = (1 << 62) - 1
    /// At most this many drivers per account.
    public static let maxDrivers = 3

    /// The touch tier of an ARR: high at or above `high`, low at or above `low`, else tech touch.
    public static func tier(arrMinor: Int64, high: Int64, low: Int64) -> String {
        tiers[tierIndex(arrMinor: arrMinor, high: high, low: low)]
    }

    /// The tier of an ARR as its index in `tiers`.
    static func tierIndex(arrMinor: Int64, high: Int64, low: Int64) -> Int {
        arrMinor >= high ? 0 : arrMinor >= low ? 1 : 2
    }

    /// Each covariate pattern's relative hazard `exp((x_k − x̄)·β)`, with `x̄` the column means over
    /// the customers (each pattern weighted by its customers, `rowPattern` giving each customer's;
    /// a customer of pattern −1, set aside from the fit, does not count).
    ///
    /// `x` holds the patterns' rows of the design, `p` columns; `beta` has one coefficient per
    /// column (0 for a column the fit dropped).
    public static func relativeHazards(design x: SparseRows, columns p: Int, rowPattern: [Int32], beta: [Double])
        -> [Double]
    {
        // Patterns past the design's rows hold no entries.
        let patterns = max(x.count, rowPattern.max().map { Int($0) + 1 } ?? 0)
        var weight = [Double](repeating: 0, count: patterns)
        var fitted = 0
        for k in rowPattern where k >= 0 {
            weight[Int(k)] += 1
            fitted += 1
        }
        var mean = [Double](repeating: 0, count: p)
        for k in 0..<x.count { for i in x.row(k) { mean[Int(x.columns[i])] += weight[k] * x.values[i] } }
        let n = Double(max(fitted, 1))
        for j in 0..<p { mean[j] /= n }
        // η over every column in column order (the sum's order fixes its last bits), from one
        // pattern's dense row at a time.
        var row = [Double](repeating: 0, count: p)
        return (0..<patterns).map { k in
            let entries = k < x.count ? x.row(k) : 0..<0
            for i in entries { row[Int(x.columns[i])] = x.values[i] }
            var eta = 0.0
            for j in 0..<p { eta += (row[j] - mean[j]) * beta[j] }
            for i in entries { row[Int(x.columns[i])] = 0 }
            return exp(eta)
        }
    }

    /// The account's covariate levels with hazard ratios above 1, largest first (ties by
    /// dimension, then level, in byte order), at most `maxDrivers`.
    public static func drivers(_ candidates: [AtRiskRecord.Driver]) -> [AtRiskRecord.Driver] {
        let above = candidates.filter { $0.hazardRatio > 1 && $0.hazardRatio.isFinite }
        return Array(
            above.sorted { a, b in
                if a.hazardRatio != b.hazardRatio { return a.hazardRatio > b.hazardRatio }
                if a.dimension != b.dimension { return a.dimension.utf8Precedes(b.dimension) }
                return a.level.utf8Precedes(b.level)
            }.prefix(maxDrivers))
    }

    /// The expected MRR lost in the horizon, `round(p × mrr)`, halves away from zero.
    public static func expectedLoss(probability: Double, mrrMinor: Int64, customer: String) throws -> Int64 {
        try CheckedMinor.rounded(
            probability * Double(mrrMinor), "the expected MRR loss in 90 days of customer \(customer)")
    }

    /// The rows of at_risk.jsonl, ranked: every converted customer with MRR at as_of (`who[r]`
    /// being survival row r) that the model was fitted on, scored with `fit`'s 90-day churn
    /// probability given the days it has survived, and its drivers. Empty when the fit's
    /// coefficients are not usable; without the customers of levels nobody has left, which the
    /// fit set aside (their hazard ratio heads to 0, so the model gives them no risk to rank).
    public static func accounts(
        fit: CoxFit, durations: [Int32], events: [Bool], who: [Int], table: CustomerTable, asOf: Day, high: Int64,
        low: Int64
    ) throws -> [AtRiskRecord] {
        guard let beta = fit.usableCoefficients(rows: who.count) else { return [] }
        let p = fit.columns.count
        let patternHazard = relativeHazards(design: fit.design, columns: p, rowPattern: fit.rowPattern, beta: beta)
        let baseline = fit.baseline(durations: durations, events: events, patternHazard: patternHazard)
        // Each pattern's drivers: the fitted levels it holds with hazard ratios above 1.
        var patternDrivers: [[AtRiskRecord.Driver]?] = Array(repeating: nil, count: patternHazard.count)
        var rows: [AtRiskRecord] = []
        for (r, i) in who.enumerated() where table.mrrAtAsOf[i] > 0 && fit.rowPattern[r] >= 0 {
            let k = Int(fit.rowPattern[r])
            if patternDrivers[k] == nil {
                var candidates: [AtRiskRecord.Driver] = []
                for e in fit.design.row(k) where fit.design.values[e] == 1 && beta[Int(fit.design.columns[e])] != 0 {
                    let j = Int(fit.design.columns[e])
                    candidates.append(
                        .init(dimension: fit.terms[j].dimension, level: fit.terms[j].level, hazardRatio: exp(beta[j])))
                }
                patternDrivers[k] = drivers(candidates)
            }
            // Days survived so far, counted from the first start (as the censored duration is).
            let survived = Int64(asOf.raw) - Int64(table.firstStart[i]) + 1
            let prob = baseline.churnProbability(
                survived: survived, horizon: horizonDays, relativeHazard: patternHazard[k])
            let mrr = table.mrrAtAsOf[i]
            let arr = try CheckedMinor.product(mrr, 12, "the ARR (12 × MRR at as_of) of customer \(table.ids[i])")
            rows.append(
                AtRiskRecord(
                    customerID: table.ids[i], touchTier: tier(arrMinor: arr, high: high, low: low),
                    mrrMinor: mrr, relativeHazard: patternHazard[k], churnProb90d: prob,
                    expectedMRRLoss90dMinor: try expectedLoss(probability: prob, mrrMinor: mrr, customer: table.ids[i]),
                    drivers: patternDrivers[k] ?? []))
        }
        return ranked(rows)
    }

    /// The file's row order: by touch tier (high, low, tech touch), then by expected MRR loss,
    /// largest first, then by customer id in byte order.
    public static func ranked(_ rows: [AtRiskRecord]) -> [AtRiskRecord] {
        precondition(tiers.count < 4, "a tier fits in the key's top two bits")
        // A million rows: positions sort on one integer per row (the tier in the top bits, the
        // loss reversed below it); ids are compared only between rows of equal tier and loss.
        let keys = rows.map { r -> UInt64 in
            let tier = UInt64(tiers.firstIndex(of: r.touchTier) ?? tiers.count)
            let loss = UInt64(clamping: r.expectedMRRLoss90dMinor)
            return tier << 62 | (lossMask - min(loss, lossMask))
        }
        let ids = rows.map(\.customerID)
        return SortedPositions.by(keys) { ids[$0].utf8Precedes(ids[$1]) }.map { rows[$0] }
    }
}
