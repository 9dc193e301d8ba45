/// One row of cohort's windows.jsonl: retention from snapshot A (`from`) to snapshot B (`to`) for
/// a window kind, end month and channel (docs/metrics.md#windows).
public struct WindowRecord: JSONLRecord, JSONLReadableRecord, Codable, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "windows"
    public static let schemaVersion = 1

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
}

extension WindowRecord {
    /// The row of a window of `kind` ending at `month`, from an accumulated cell.
    public init(kind: WindowsAccumulator.Kind, month: Month, channel: String, _ c: WindowsAccumulator.Cell) {
        self.init(
            kind: kind.name, month: month, from: (month - kind.span).lastDay, to: month.lastDay, channel: channel,
            baseCustomers: c.base, retainedCustomers: c.retained, logoChurnRate: c.logoChurnRate,
            baseMRRMinor: c.baseMRR, endMRRMinor: c.endMRR, nrr: c.nrr, grr: c.grrRate, upsellRate: c.upsellRate,
            crossSellRate: c.crossSellRate)
    }
}
