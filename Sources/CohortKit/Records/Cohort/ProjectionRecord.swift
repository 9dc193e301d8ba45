/// One row of cohort's projections.jsonl: a channel × cohort × offset cell not yet observed, with
/// its interval (docs/metrics.md#projected-retention).
public struct ProjectionRecord: JSONLRecord, CohortCellRow, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "projections"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
        static let logoLower: StaticString = "logo_lower"
        static let logoUpper: StaticString = "logo_upper"
        static let revenueLower: StaticString = "revenue_lower"
        static let revenueUpper: StaticString = "revenue_upper"
        static let method: StaticString = "method"
    }

    public var cohort: String
    public var channel: String
    public var offset: Int
    public var logoRetention: Double?, logoLower: Double?, logoUpper: Double?
    public var revenueRetention: Double?, revenueLower: Double?, revenueUpper: Double?
    /// How the cell was projected (`RetentionProjection.Method`'s raw value).
    public var method: String

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        writeCell(to: line)
        line.field(Key.logoRetention, logoRetention)
        line.field(Key.logoLower, logoLower)
        line.field(Key.logoUpper, logoUpper)
        line.field(Key.revenueRetention, revenueRetention)
        line.field(Key.revenueLower, revenueLower)
        line.field(Key.revenueUpper, revenueUpper)
        line.field(Key.method, method)
    }
}

extension ProjectionRecord {
    /// Reads the current line of `r`; nil when it lacks its cohort, channel or offset (such a row
    /// places no cell). Missing estimates read as nil, a missing method as "".
    public init?(reading r: JSONLReader) {
        guard let cell = CohortCell(reading: r) else { return nil }
        self.init(
            cohort: cell.cohort, channel: cell.channel, offset: cell.offset, logoRetention: r.double(Key.logoRetention),
            logoLower: r.double(Key.logoLower), logoUpper: r.double(Key.logoUpper),
            revenueRetention: r.double(Key.revenueRetention), revenueLower: r.double(Key.revenueLower),
            revenueUpper: r.double(Key.revenueUpper), method: r.text(Key.method))
    }
}
