/// One row of churn-attribution's segments.jsonl: a dimension value's churn (docs/metrics.md#segments).
public struct SegmentRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "segments"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
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

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.field(Key.dimension, dimension)
        line.field(Key.value, value)
        line.field(Key.customers, customers)
        line.field(Key.churned, churned)
        line.field(Key.churnProbEarly, churnProbEarly)
        line.field(Key.churnProbEarlyLower, churnProbEarlyLower)
        line.field(Key.churnProbEarlyUpper, churnProbEarlyUpper)
        line.field(Key.churnProb1y, churnProb1y)
        line.field(Key.churnProb1yLower, churnProb1yLower)
        line.field(Key.churnProb1yUpper, churnProb1yUpper)
        line.field(Key.churnedMRR12mMinor, churnedMRR12mMinor)
        line.field(Key.churnedMRRShare, churnedMRRShare)
        line.field(Key.relativeRisk, relativeRisk)
        line.field(Key.logrankPValue, logrankPValue)
        line.field(Key.pooled, pooled)
    }

}

extension SegmentRecord {
    /// Reads the current line of `r` (missing text as "", missing counts as 0, missing or null
    /// ratios as nil, as the report has always read them).
    public init(reading r: JSONLReader) {
        self.init(
            dimension: r.text(Key.dimension), value: r.text(Key.value),
            customers: r.count(Key.customers), churned: r.count(Key.churned),
            churnProbEarly: r.double(Key.churnProbEarly), churnProbEarlyLower: r.double(Key.churnProbEarlyLower),
            churnProbEarlyUpper: r.double(Key.churnProbEarlyUpper), churnProb1y: r.double(Key.churnProb1y),
            churnProb1yLower: r.double(Key.churnProb1yLower), churnProb1yUpper: r.double(Key.churnProb1yUpper),
            churnedMRR12mMinor: r.minor(Key.churnedMRR12mMinor), churnedMRRShare: r.double(Key.churnedMRRShare),
            relativeRisk: r.double(Key.relativeRisk), logrankPValue: r.double(Key.logrankPValue),
            pooled: r.bool(Key.pooled) ?? false)
    }
}
