/// One row of churn-attribution's cox.jsonl: a level's term in the Cox model, against its
/// dimension's reference level (docs/metrics.md#cox-model).
public struct CoxTermRecord: JSONLReadableRecord, Codable, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "cox"
    public static let schemaVersion = 1

    public var dimension: String
    public var level: String
    public var reference: String
    public var coef: Double?
    public var se: Double?
    public var hazardRatio: Double?
    public var ciLower: Double?
    public var ciUpper: Double?
    public var z: Double?
    public var pValue: Double?
}
