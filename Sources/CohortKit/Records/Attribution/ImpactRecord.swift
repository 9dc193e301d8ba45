/// One row of churn-attribution's impact.jsonl: the MRR a year a segment would keep if its
/// monthly churn equalled the overall rate; the `(all)` row says what one point of monthly churn
/// is worth a year (docs/metrics.md#revenue-impact).
public struct ImpactRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "impact"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
        static let monthlyChurn: StaticString = "monthly_churn"
        static let overallMonthlyChurn: StaticString = "overall_monthly_churn"
        static let mrrKeptPerYearMinor: StaticString = "mrr_kept_per_year_minor"
    }

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

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.field(Key.dimension, dimension)
        line.field(Key.value, value)
        line.field(Key.monthlyChurn, monthlyChurn)
        line.field(Key.overallMonthlyChurn, overallMonthlyChurn)
        line.field(Key.mrrMinor, mrrMinor)
        line.field(Key.mrrKeptPerYearMinor, mrrKeptPerYearMinor)
    }

}

extension ImpactRecord {
    /// Reads the current line of `r` (missing text as "", missing MRR as 0, missing or null
    /// rates and kept MRR as nil).
    public init(reading r: JSONLReader) {
        self.init(
            dimension: r.text(Key.dimension), value: r.text(Key.value),
            monthlyChurn: r.double(Key.monthlyChurn), overallMonthlyChurn: r.double(Key.overallMonthlyChurn),
            mrrMinor: r.minor(Key.mrrMinor), mrrKeptPerYearMinor: r.int(Key.mrrKeptPerYearMinor))
    }
}
