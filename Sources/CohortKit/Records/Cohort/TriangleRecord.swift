/// One row of cohort's triangle.jsonl: a cohort × channel × offset cell, or a `(weighted)` row
/// pooling a channel's complete cells at one offset (docs/metrics.md#retention-triangle).
public struct TriangleRecord: JSONLRecord, CohortCellRow, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "triangle"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
        static let active: StaticString = "active"
        static let grossRevenueRetention: StaticString = "gross_revenue_retention"
    }

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

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        writeCell(to: line)
        line.field(Key.month, month)
        line.field(Key.customers, customers)
        line.field(Key.active, active)
        line.field(Key.logoRetention, logoRetention)
        line.field(Key.mrrStartMinor, mrrStartMinor)
        line.field(Key.mrrMinor, mrrMinor)
        line.field(Key.revenueRetention, revenueRetention)
        line.field(Key.grossRevenueRetention, grossRevenueRetention)
    }
}

extension TriangleRecord {
    /// Reads the current line of `r`; nil when it lacks its cohort, channel or offset (such a row
    /// places no cell). Missing counts and money read as 0, missing ratios and month as nil.
    public init?(reading r: JSONLReader) {
        guard let cell = CohortCell(reading: r) else { return nil }
        self.init(
            cohort: cell.cohort, channel: cell.channel, offset: cell.offset, month: r.month(Key.month),
            customers: r.count(Key.customers), active: r.count(Key.active), logoRetention: r.double(Key.logoRetention),
            mrrStartMinor: r.minor(Key.mrrStartMinor), mrrMinor: r.minor(Key.mrrMinor),
            revenueRetention: r.double(Key.revenueRetention), grossRevenueRetention: r.double(Key.grossRevenueRetention)
        )
    }
}
