/// One row of churn-attribution's segments.jsonl: a dimension value's churn (docs/metrics.md#segments).
public struct SegmentRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "segments"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let dimension: StaticString = "dimension"
        static let value: StaticString = "value"
        static let customers: StaticString = "customers"
        static let churned: StaticString = "churned"
        static let churnProbEarly: StaticString = "churn_prob_early"
        static let churnProbEarlyLower: StaticString = "churn_prob_early_lower"
        static let churnProbEarlyUpper: StaticString = "churn_prob_early_upper"
        static let churnProb1y: StaticString = "churn_prob_1y"
        static let churnProb1yLower: StaticString = "churn_prob_1y_lower"
        static let churnProb1yUpper: StaticString = "churn_prob_1y_upper"
        static let churnedMRR12mMinor: StaticString = "churned_mrr_12m_minor"
        static let churnedMRRShare: StaticString = "churned_mrr_share"
        static let relativeRisk: StaticString = "relative_risk"
        static let logrankPValue: StaticString = "logrank_p_value"
        static let pooled: StaticString = "pooled"
    }

    public var dimension: String
    public var value: String
    public var customers: Int
    public var churned: Int
    public var churnProbEarly: Double?
    public var churnProbEarlyLower: Double?
    public var churnProbEarlyUpper: Double?
    public var churnProb1y: Double?
    public var churnProb1yLower: Double?
    public var churnProb1yUpper: Double?
    public var churnedMRR12mMinor: Int64
    public var churnedMRRShare: Double?
    public var relativeRisk: Double?
    /// The dimension's log-rank p-value (the same on every row of the dimension).
    public var logrankPValue: Double?
    /// True for the `(other)` row that pools the small values.
    public var pooled: Bool

    public init(
        dimension: String, value: String, customers: Int, churned: Int, churnProbEarly: Double?,
        churnProbEarlyLower: Double?, churnProbEarlyUpper: Double?, churnProb1y: Double?, churnProb1yLower: Double?,
        churnProb1yUpper: Double?, churnedMRR12mMinor: Int64, churnedMRRShare: Double?, relativeRisk: Double?,
        logrankPValue: Double?, pooled: Bool
    ) {
        self.dimension = dimension
        self.value = value
        self.customers = customers
        self.churned = churned
        self.churnProbEarly = churnProbEarly
        self.churnProbEarlyLower = churnProbEarlyLower
        self.churnProbEarlyUpper = churnProbEarlyUpper
        self.churnProb1y = churnProb1y
        self.churnProb1yLower = churnProb1yLower
        self.churnProb1yUpper = churnProb1yUpper
        self.churnedMRR12mMinor = churnedMRR12mMinor
        self.churnedMRRShare = churnedMRRShare
        self.relativeRisk = relativeRisk
        self.logrankPValue = logrankPValue
        self.pooled = pooled
    }

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.key(Key.dimension)
        line.string(dimension)
        line.key(Key.value)
        line.string(value)
        line.key(Key.customers)
        line.int(customers)
        line.key(Key.churned)
        line.int(churned)
        line.key(Key.churnProbEarly)
        line.double(churnProbEarly)
        line.key(Key.churnProbEarlyLower)
        line.double(churnProbEarlyLower)
        line.key(Key.churnProbEarlyUpper)
        line.double(churnProbEarlyUpper)
        line.key(Key.churnProb1y)
        line.double(churnProb1y)
        line.key(Key.churnProb1yLower)
        line.double(churnProb1yLower)
        line.key(Key.churnProb1yUpper)
        line.double(churnProb1yUpper)
        line.key(Key.churnedMRR12mMinor)
        line.int(churnedMRR12mMinor)
        line.key(Key.churnedMRRShare)
        line.double(churnedMRRShare)
        line.key(Key.relativeRisk)
        line.double(relativeRisk)
        line.key(Key.logrankPValue)
        line.double(logrankPValue)
        line.key(Key.pooled)
        line.bool(pooled)
    }

    /// Reads the current line of `r` (missing text as "", missing counts as 0, missing or null
    /// ratios as nil, as the report has always read them).
    public init(reading r: JSONLReader) {
        self.init(
            dimension: r.string(Key.dimension) ?? "", value: r.string(Key.value) ?? "",
            customers: Int(r.int(Key.customers) ?? 0), churned: Int(r.int(Key.churned) ?? 0),
            churnProbEarly: r.double(Key.churnProbEarly), churnProbEarlyLower: r.double(Key.churnProbEarlyLower),
            churnProbEarlyUpper: r.double(Key.churnProbEarlyUpper), churnProb1y: r.double(Key.churnProb1y),
            churnProb1yLower: r.double(Key.churnProb1yLower), churnProb1yUpper: r.double(Key.churnProb1yUpper),
            churnedMRR12mMinor: r.int(Key.churnedMRR12mMinor) ?? 0, churnedMRRShare: r.double(Key.churnedMRRShare),
            relativeRisk: r.double(Key.relativeRisk), logrankPValue: r.double(Key.logrankPValue),
            pooled: r.bool(Key.pooled) ?? false)
    }
}
