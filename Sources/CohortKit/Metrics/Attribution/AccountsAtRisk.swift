import Foundation

/// One row of `churn-attribution/at_risk.jsonl`: an account active at as_of with the Cox model's
/// probability of churning in the next 90 days and the MRR that probability puts at stake.
public struct AtRiskAccount: Equatable, Sendable {
    /// A covariate level of the account that raises its hazard, with the level's hazard ratio
    /// against its dimension's reference level (as in cox.jsonl).
    public struct Driver: Equatable, Sendable {
        public var dimension: String
        public var level: String
        public var hazardRatio: Double

        public init(dimension: String, level: String, hazardRatio: Double) {
            self.dimension = dimension
            self.level = level
            self.hazardRatio = hazardRatio
        }
    }

    public var customerID: String
    public var touchTier: String
    public var mrrMinor: Int64
    public var relativeHazard: Double
    public var churnProb90d: Double
    public var expectedMRRLoss90dMinor: Int64
    public var drivers: [Driver]

    public init(
        customerID: String, touchTier: String, mrrMinor: Int64, relativeHazard: Double, churnProb90d: Double,
        expectedMRRLoss90dMinor: Int64, drivers: [Driver]
    ) {
        self.customerID = customerID
        self.touchTier = touchTier
        self.mrrMinor = mrrMinor
        self.relativeHazard = relativeHazard
        self.churnProb90d = churnProb90d
        self.expectedMRRLoss90dMinor = expectedMRRLoss90dMinor
        self.drivers = drivers
    }

    /// Writes the row's fields, in the documented order, into `line`.
    func write(_ line: JSONLineBuilder) {
        line.key("customer_id")
        line.string(customerID)
        line.key("touch_tier")
        line.string(touchTier)
        line.key("mrr_minor")
        line.int(mrrMinor)
        line.key("relative_hazard")
        line.double(relativeHazard)
        line.key("churn_prob_90d")
        line.double(churnProb90d)
        line.key("expected_mrr_loss_90d_minor")
        line.int(expectedMRRLoss90dMinor)
        line.key("drivers")
        line.beginArray()
        for d in drivers {
            line.beginObject()
            line.key("dimension")
            line.string(d.dimension)
            line.key("level")
            line.string(d.level)
            line.key("hazard_ratio")
            line.double(d.hazardRatio)
            line.endObject()
        }
        line.endArray()
    }

    /// The row under the reader's current line (nil when a required field is missing).
    init?(_ r: JSONLReader) {
        guard let id = r.string("customer_id"), let tier = r.string("touch_tier"), let mrr = r.int("mrr_minor") else {
            return nil
        }
        var drivers: [Driver] = []
        if case .array(let items)? = r.value("drivers") {
            for case .object(let fields) in items {
                var dim = ""
                var level = ""
                var hr = Double.nan
                for (k, v) in fields {
                    switch (k, v) {
                    case ("dimension", .string(let s)): dim = s
                    case ("level", .string(let s)): level = s
                    case ("hazard_ratio", .number(let s)): hr = Double(s) ?? .nan
                    default: break
                    }
                }
                drivers.append(Driver(dimension: dim, level: level, hazardRatio: hr))
            }
        }
        self.init(
            customerID: id, touchTier: tier, mrrMinor: mrr, relativeHazard: r.double("relative_hazard") ?? .nan,
            churnProb90d: r.double("churn_prob_90d") ?? .nan,
            expectedMRRLoss90dMinor: r.int("expected_mrr_loss_90d_minor") ?? 0,
            drivers: drivers)
    }
}

/// Accounts at risk: the Cox model's 90-day churn probability of each active account, given the
/// days it has already survived, times its MRR (docs/metrics.md#accounts-at-risk).
public enum AccountsAtRisk {
    /// The horizon of the probability, in days.
    public static let horizonDays: Int64 = 90
    /// Touch tiers in row order.
    public static let tiers = ["high_touch", "low_touch", "tech_touch"]
    /// At most this many drivers per account.
    public static let maxDrivers = 3

    /// The touch tier of an ARR: high at or above `high`, low at or above `low`, else tech touch.
    public static func tier(arrMinor: Int64, high: Int64, low: Int64) -> String {
        arrMinor >= high ? "high_touch" : arrMinor >= low ? "low_touch" : "tech_touch"
    }

    /// Each covariate pattern's relative hazard `exp((x_k − x̄)·β)`, with `x̄` the column means over
    /// the customers (each pattern weighted by its customers, `rowPattern` giving each customer's).
    ///
    /// `x` is the pattern design, row-major with `p` columns; `beta` has one coefficient per column
    /// (0 for a column the fit dropped).
    public static func relativeHazards(design x: [Double], columns p: Int, rowPattern: [Int32], beta: [Double])
        -> [Double]
    {
        let patterns = p == 0 ? (rowPattern.max().map { Int($0) + 1 } ?? 0) : x.count / p
        var weight = [Double](repeating: 0, count: patterns)
        for k in rowPattern { weight[Int(k)] += 1 }
        var mean = [Double](repeating: 0, count: p)
        for k in 0..<patterns { for j in 0..<p { mean[j] += weight[k] * x[k * p + j] } }
        let n = Double(max(rowPattern.count, 1))
        for j in 0..<p { mean[j] /= n }
        return (0..<patterns).map { k in
            var eta = 0.0
            for j in 0..<p { eta += (x[k * p + j] - mean[j]) * beta[j] }
            return exp(eta)
        }
    }

    /// The account's covariate levels with hazard ratios above 1, largest first (ties by
    /// dimension, then level, in byte order), at most `maxDrivers`.
    public static func drivers(_ candidates: [AtRiskAccount.Driver]) -> [AtRiskAccount.Driver] {
        let above = candidates.filter { $0.hazardRatio > 1 && $0.hazardRatio.isFinite }
        return Array(
            above.sorted { a, b in
                if a.hazardRatio != b.hazardRatio { return a.hazardRatio > b.hazardRatio }
                if a.dimension != b.dimension { return a.dimension.utf8.lexicographicallyPrecedes(b.dimension.utf8) }
                return a.level.utf8.lexicographicallyPrecedes(b.level.utf8)
            }.prefix(maxDrivers))
    }

    /// The expected MRR lost in the horizon, `round(p × mrr)`, halves away from zero.
    public static func expectedLoss(probability: Double, mrrMinor: Int64, customer: String) throws -> Int64 {
        try CheckedMinor.rounded(
            probability * Double(mrrMinor), "the expected MRR loss in 90 days of customer \(customer)")
    }

    /// The file's row order: by touch tier (high, low, tech touch), then by expected MRR loss,
    /// largest first, then by customer id in byte order.
    public static func ranked(_ rows: [AtRiskAccount]) -> [AtRiskAccount] {
        // A million rows: sort positions on precomputed keys, so a comparison neither looks the
        // tier up by name nor moves whole rows.
        let tier = rows.map { tiers.firstIndex(of: $0.touchTier) ?? tiers.count }
        let order = rows.indices.sorted { a, b in
            if tier[a] != tier[b] { return tier[a] < tier[b] }
            let la = rows[a].expectedMRRLoss90dMinor
            let lb = rows[b].expectedMRRLoss90dMinor
            if la != lb { return la > lb }
            return rows[a].customerID.utf8.lexicographicallyPrecedes(rows[b].customerID.utf8)
        }
        return order.map { rows[$0] }
    }
}
