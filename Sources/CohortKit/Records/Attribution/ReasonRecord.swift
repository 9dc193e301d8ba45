/// One row of churn-attribution's reasons.jsonl: the customers whose latest cancellation gave a
/// reason, per channel and category, with the MRR they took (docs/metrics.md#exit-reasons).
/// A row with reason `(all)` is its category's total; channel `(all)` totals over channels.
public struct ReasonRecord: JSONLReadableRecord, Codable, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "reasons"
    public static let schemaVersion = 1

    public var channel: String
    public var category: String
    public var reason: String
    public var customers: Int
    public var churnedMRRMinor: Int64
}
