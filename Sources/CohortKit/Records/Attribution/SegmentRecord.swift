/// One row of churn-attribution's segments.jsonl: a dimension value's churn (docs/metrics.md#segments).
public struct SegmentRecord: JSONLReadableRecord, Codable, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "segments"
    public static let schemaVersion = 1

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
}
