/// One row of cohort's windows.jsonl: retention from snapshot A (`from`) to snapshot B (`to`) for
/// a window kind, end month and channel (docs/metrics.md#windows).
public struct WindowRecord: JSONLRecord, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "windows"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
        static let kind: StaticString = "kind"
        static let from: StaticString = "from"
        static let to: StaticString = "to"
        static let baseCustomers: StaticString = "base_customers"
        static let retainedCustomers: StaticString = "retained_customers"
        static let logoChurnRate: StaticString = "logo_churn_rate"
        static let baseMRRMinor: StaticString = "base_mrr_minor"
        static let endMRRMinor: StaticString = "end_mrr_minor"
        static let nrr: StaticString = "nrr"
        static let grr: StaticString = "grr"
        static let upsellRate: StaticString = "upsell_rate"
        static let crossSellRate: StaticString = "cross_sell_rate"
    }

    /// `month`, `quarter` or `trailing_12m`.
    public var kind: String
    public var month: Month?
    public var from: Day?
    public var to: Day?
    public var channel: String
    public var baseCustomers = 0, retainedCustomers = 0
    public var logoChurnRate: Double?
    public var baseMRRMinor: Int64 = 0, endMRRMinor: Int64 = 0
    public var nrr: Double?, grr: Double?, upsellRate: Double?, crossSellRate: Double?

    /// The row of a window of `kind` ending at `month`, from an accumulated cell.
    public init(kind: WindowsAccumulator.Kind, month: Month, channel: String, _ c: WindowsAccumulator.Cell) {
        self.kind = kind.name
        self.month = month
        from = (month - kind.span).lastDay
        to = month.lastDay
        self.channel = channel
        baseCustomers = c.base
        retainedCustomers = c.retained
        logoChurnRate = c.logoChurnRate
        baseMRRMinor = c.baseMRR
        endMRRMinor = c.endMRR
        nrr = c.nrr
        grr = c.grrRate
        upsellRate = c.upsellRate
        crossSellRate = c.crossSellRate
    }

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.field(Key.kind, kind)
        line.field(Key.month, month)
        line.field(Key.from, from)
        line.field(Key.to, to)
        line.field(Key.channel, channel)
        line.field(Key.baseCustomers, baseCustomers)
        line.field(Key.retainedCustomers, retainedCustomers)
        line.field(Key.logoChurnRate, logoChurnRate)
        line.field(Key.baseMRRMinor, baseMRRMinor)
        line.field(Key.endMRRMinor, endMRRMinor)
        line.field(Key.nrr, nrr)
        line.field(Key.grr, grr)
        line.field(Key.upsellRate, upsellRate)
        line.field(Key.crossSellRate, crossSellRate)
    }

    /// Reads the current line of `r` (missing text "", missing dates and ratios nil, counts and money 0).
    public init(reading r: JSONLReader) {
        kind = r.text(Key.kind)
        month = r.month(Key.month)
        from = r.day(Key.from)
        to = r.day(Key.to)
        channel = r.text(Key.channel)
        baseCustomers = r.count(Key.baseCustomers)
        retainedCustomers = r.count(Key.retainedCustomers)
        logoChurnRate = r.double(Key.logoChurnRate)
        baseMRRMinor = r.minor(Key.baseMRRMinor)
        endMRRMinor = r.minor(Key.endMRRMinor)
        nrr = r.double(Key.nrr)
        grr = r.double(Key.grr)
        upsellRate = r.double(Key.upsellRate)
        crossSellRate = r.double(Key.crossSellRate)
    }
}
