/// One row of churn-attribution's impact.jsonl: the MRR a year a segment would keep if its
/// monthly churn equalled the overall rate; the `(all)` row says what one point of monthly churn
/// is worth a year (docs/metrics.md#revenue-impact).
public struct ImpactRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "impact"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let dimension: StaticString = "dimension"
        static let value: StaticString = "value"
        static let monthlyChurn: StaticString = "monthly_churn"
        static let overallMonthlyChurn: StaticString = "overall_monthly_churn"
        static let mrrMinor: StaticString = "mrr_minor"
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

    public init(
        dimension: String, value: String, monthlyChurn: Double?, overallMonthlyChurn: Double?, mrrMinor: Int64,
        mrrKeptPerYearMinor: Int64?
    ) {
        self.dimension = dimension
        self.value = value
        self.monthlyChurn = monthlyChurn
        self.overallMonthlyChurn = overallMonthlyChurn
        self.mrrMinor = mrrMinor
        self.mrrKeptPerYearMinor = mrrKeptPerYearMinor
    }

    /// True for the overall row.
    public var isOverall: Bool { dimension == "(all)" }

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.key(Key.dimension)
        line.string(dimension)
        line.key(Key.value)
        line.string(value)
        line.key(Key.monthlyChurn)
        line.double(monthlyChurn)
        line.key(Key.overallMonthlyChurn)
        line.double(overallMonthlyChurn)
        line.key(Key.mrrMinor)
        line.int(mrrMinor)
        line.key(Key.mrrKeptPerYearMinor)
        line.int(mrrKeptPerYearMinor)
    }

    /// Reads the current line of `r` (missing text as "", missing MRR as 0, missing or null
    /// rates and kept MRR as nil).
    public init(reading r: JSONLReader) {
        self.init(
            dimension: r.string(Key.dimension) ?? "", value: r.string(Key.value) ?? "",
            monthlyChurn: r.double(Key.monthlyChurn), overallMonthlyChurn: r.double(Key.overallMonthlyChurn),
            mrrMinor: r.int(Key.mrrMinor) ?? 0, mrrKeptPerYearMinor: r.int(Key.mrrKeptPerYearMinor))
    }
}
