/// One row of churn-attribution's impact.jsonl: the MRR a year a segment would keep if its
/// monthly churn equalled the overall rate; the `(all)` row says what one point of monthly churn
/// is worth a year (docs/metrics.md#revenue-impact).
public struct ImpactRecord: JSONLReadableRecord, Codable, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "impact"
    public static let schemaVersion = 1

    /// `(all)` on the overall row.
    public var dimension: String
    public var value: String
    public var monthlyChurn: Double?
    public var overallMonthlyChurn: Double?
    public var mrrMinor: Int64
    /// Nil when the segment or the whole has no monthly churn base.
    public var mrrKeptPerYearMinor: Int64?

    /// True for the overall row.
    public var isOverall: Bool { dimension == "(all)" }
}
