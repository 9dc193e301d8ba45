/// One row of cohort's drift.jsonl: a cohort whose newest cell fell below its predecessors' band
/// (docs/metrics.md#drift-alerts).
public struct DriftRecord: JSONLRecord, JSONLReadableRecord, Codable, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "drift"
    public static let schemaVersion = 1

    public var cohort: String
    public var channel: String
    public var offset: Int
    public var logoRetention: Double?
    public var bandLower: Double?
    public var predecessorsRetention: Double?
    public var predecessors: Int
}
