/// One row of cohort's triangle.jsonl: a cohort × channel × offset cell, or a `(weighted)` row
/// pooling a channel's complete cells at one offset (docs/metrics.md#retention-triangle).
public struct TriangleRecord: CohortRowRecord, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "triangle"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let cohort: StaticString = "cohort"
        static let channel: StaticString = "channel"
        static let offset: StaticString = "offset"
        static let month: StaticString = "month"
        static let customers: StaticString = "customers"
        static let active: StaticString = "active"
        static let logoRetention: StaticString = "logo_retention"
        static let mrrStartMinor: StaticString = "mrr_start_minor"
        static let mrrMinor: StaticString = "mrr_minor"
        static let revenueRetention: StaticString = "revenue_retention"
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

    public init(
        cohort: String, channel: String, offset: Int, month: Month?, customers: Int, active: Int,
        logoRetention: Double?, mrrStartMinor: Int64, mrrMinor: Int64, revenueRetention: Double?,
        grossRevenueRetention: Double?
    ) {
        self.cohort = cohort
        self.channel = channel
        self.offset = offset
        self.month = month
        self.customers = customers
        self.active = active
        self.logoRetention = logoRetention
        self.mrrStartMinor = mrrStartMinor
        self.mrrMinor = mrrMinor
        self.revenueRetention = revenueRetention
        self.grossRevenueRetention = grossRevenueRetention
    }

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.key(Key.cohort)
        line.string(cohort)
        line.key(Key.channel)
        line.string(channel)
        line.key(Key.offset)
        line.int(offset)
        line.key(Key.month)
        line.month(month)
        line.key(Key.customers)
        line.int(customers)
        line.key(Key.active)
        line.int(active)
        line.key(Key.logoRetention)
        line.double(logoRetention)
        line.key(Key.mrrStartMinor)
        line.int(mrrStartMinor)
        line.key(Key.mrrMinor)
        line.int(mrrMinor)
        line.key(Key.revenueRetention)
        line.double(revenueRetention)
        line.key(Key.grossRevenueRetention)
        line.double(grossRevenueRetention)
    }

    /// Reads the current line of `r`; nil when it lacks its cohort, channel or offset (such a row
    /// places no cell). Missing counts and money read as 0, missing ratios and month as nil.
    public init?(reading r: JSONLReader) {
        guard let cohort = r.string(Key.cohort), let channel = r.string(Key.channel), let offset = r.int(Key.offset)
        else { return nil }
        self.cohort = cohort
        self.channel = channel
        self.offset = Int(offset)
        month = r.string(Key.month).flatMap(Month.init(iso:))
        customers = Int(r.int(Key.customers) ?? 0)
        active = Int(r.int(Key.active) ?? 0)
        logoRetention = r.double(Key.logoRetention)
        mrrStartMinor = r.int(Key.mrrStartMinor) ?? 0
        mrrMinor = r.int(Key.mrrMinor) ?? 0
        revenueRetention = r.double(Key.revenueRetention)
        grossRevenueRetention = r.double(Key.grossRevenueRetention)
    }
}
