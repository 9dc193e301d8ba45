/// One row of churn-attribution's pairwise.jsonl: a two-value log-rank test within a dimension,
/// with its Holm-adjusted p-value (docs/metrics.md#segments).
public struct PairwiseRecord: JSONLReadableRecord, Codable, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "pairwise"
    public static let schemaVersion = 1

    public var dimension: String
    public var a: String
    public var b: String
    public var statistic: Double?
    public var pValue: Double?
    /// Nil when the pair has no p-value (it then takes no part in the adjustment).
    public var pHolm: Double?
}
