/// One row of cohort's windows.jsonl: retention from snapshot A (`from`) to snapshot B (`to`) for
/// a window kind, end month and channel (docs/metrics.md#windows).
public struct WindowRecord: CohortRowRecord, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "windows"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let kind: StaticString = "kind"
        static let month: StaticString = "month"
        static let from: StaticString = "from"
        static let to: StaticString = "to"
        static let channel: StaticString = "channel"
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
        line.key(Key.kind)
        line.string(kind)
        line.key(Key.month)
        line.month(month)
        line.key(Key.from)
        line.day(from)
        line.key(Key.to)
        line.day(to)
        line.key(Key.channel)
        line.string(channel)
        line.key(Key.baseCustomers)
        line.int(baseCustomers)
        line.key(Key.retainedCustomers)
        line.int(retainedCustomers)
        line.key(Key.logoChurnRate)
        line.double(logoChurnRate)
        line.key(Key.baseMRRMinor)
        line.int(baseMRRMinor)
        line.key(Key.endMRRMinor)
        line.int(endMRRMinor)
        line.key(Key.nrr)
        line.double(nrr)
        line.key(Key.grr)
        line.double(grr)
        line.key(Key.upsellRate)
        line.double(upsellRate)
        line.key(Key.crossSellRate)
        line.double(crossSellRate)
    }

    /// Reads the current line of `r` (missing text "", missing dates and ratios nil, counts and money 0).
    public init(reading r: JSONLReader) {
        kind = r.string(Key.kind) ?? ""
        month = r.string(Key.month).flatMap(Month.init(iso:))
        from = r.day(Key.from)
        to = r.day(Key.to)
        channel = r.string(Key.channel) ?? ""
        baseCustomers = Int(r.int(Key.baseCustomers) ?? 0)
        retainedCustomers = Int(r.int(Key.retainedCustomers) ?? 0)
        logoChurnRate = r.double(Key.logoChurnRate)
        baseMRRMinor = r.int(Key.baseMRRMinor) ?? 0
        endMRRMinor = r.int(Key.endMRRMinor) ?? 0
        nrr = r.double(Key.nrr)
        grr = r.double(Key.grr)
        upsellRate = r.double(Key.upsellRate)
        crossSellRate = r.double(Key.crossSellRate)
    }
}
