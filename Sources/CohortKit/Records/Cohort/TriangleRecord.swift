/// One row of cohort's triangle.jsonl: a cohort × channel × offset cell, or a `(weighted)` row
/// pooling a channel's complete cells at one offset (docs/metrics.md#retention-triangle).
public struct TriangleRecord: JSONLRecord, Codable, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "triangle"
    public static let schemaVersion = 1

    /// A cohort month (`2024-01`) or `(weighted)`.
    public var cohort: String
    public var channel: String
    public var offset: Int
    /// The snapshot month `cohort + offset`; nil on `(weighted)` rows.
    public var month: Month?
    public var customers: Int
    public var active: Int
    public var logoRetention: Double?
    public var mrrStartMinor: Int64
    public var mrrMinor: Int64
    public var revenueRetention: Double?
    public var grossRevenueRetention: Double?
}

extension TriangleRecord {
    /// Reads the current line of `r`; nil when it lacks its cohort, channel or offset (such a row
    /// places no cell). Missing counts and money read as 0, missing ratios and month as nil.
    public init?(reading r: JSONLReader) throws {
        guard CohortCell.isPlaced(r) else { return nil }
        self = try r.decode()
    }
}
