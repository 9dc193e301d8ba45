/// One row of cohort's projections.jsonl: a channel × cohort × offset cell not yet observed, with
/// its interval (docs/metrics.md#projected-retention).
public struct ProjectionRecord: JSONLRecord, Codable, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "projections"
    public static let schemaVersion = 1

    public var cohort: String
    public var channel: String
    public var offset: Int
    public var logoRetention: Double?, logoLower: Double?, logoUpper: Double?
    public var revenueRetention: Double?, revenueLower: Double?, revenueUpper: Double?
    /// How the cell was projected (`RetentionProjection.Method`'s raw value).
    public var method: String
}

extension ProjectionRecord {
    /// Reads the current line of `r`; nil when it lacks its cohort, channel or offset (such a row
    /// places no cell). Missing estimates read as nil, a missing method as "".
    public init?(reading r: JSONLReader) throws {
        guard CohortCell.isPlaced(r) else { return nil }
        self = try r.decode()
    }
}
