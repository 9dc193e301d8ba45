/// One row of cohort's projections.jsonl: a channel × cohort × offset cell not yet observed, with
/// its interval (docs/metrics.md#projected-retention).
public struct ProjectionRecord: CohortRowRecord, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "projections"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let cohort: StaticString = "cohort"
        static let channel: StaticString = "channel"
        static let offset: StaticString = "offset"
        static let logoRetention: StaticString = "logo_retention"
        static let logoLower: StaticString = "logo_lower"
        static let logoUpper: StaticString = "logo_upper"
        static let revenueRetention: StaticString = "revenue_retention"
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

    public init(
        cohort: String, channel: String, offset: Int, logoRetention: Double?, logoLower: Double?, logoUpper: Double?,
        revenueRetention: Double?, revenueLower: Double?, revenueUpper: Double?, method: String
    ) {
        self.cohort = cohort
        self.channel = channel
        self.offset = offset
        self.logoRetention = logoRetention
        self.logoLower = logoLower
        self.logoUpper = logoUpper
        self.revenueRetention = revenueRetention
        self.revenueLower = revenueLower
        self.revenueUpper = revenueUpper
        self.method = method
    }

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.key(Key.cohort)
        line.string(cohort)
        line.key(Key.channel)
        line.string(channel)
        line.key(Key.offset)
        line.int(offset)
        line.key(Key.logoRetention)
        line.double(logoRetention)
        line.key(Key.logoLower)
        line.double(logoLower)
        line.key(Key.logoUpper)
        line.double(logoUpper)
        line.key(Key.revenueRetention)
        line.double(revenueRetention)
        line.key(Key.revenueLower)
        line.double(revenueLower)
        line.key(Key.revenueUpper)
        line.double(revenueUpper)
        line.key(Key.method)
        line.string(method)
    }

    /// Reads the current line of `r`; nil when it lacks its cohort, channel or offset (such a row
    /// places no cell). Missing estimates read as nil, a missing method as "".
    public init?(reading r: JSONLReader) {
        guard let cohort = r.string(Key.cohort), let channel = r.string(Key.channel), let offset = r.int(Key.offset)
        else { return nil }
        self.cohort = cohort
        self.channel = channel
        self.offset = Int(offset)
        logoRetention = r.double(Key.logoRetention)
        logoLower = r.double(Key.logoLower)
        logoUpper = r.double(Key.logoUpper)
        revenueRetention = r.double(Key.revenueRetention)
        revenueLower = r.double(Key.revenueLower)
        revenueUpper = r.double(Key.revenueUpper)
        method = r.string(Key.method) ?? ""
    }
}
