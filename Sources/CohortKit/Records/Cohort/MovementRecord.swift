/// One row of cohort's movements.jsonl: a month × channel's MRR movements (docs/metrics.md#mrr-movements).
public struct MovementRecord: JSONLRecord, JSONLReadableRecord, Codable, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "movements"
    public static let schemaVersion = 1

    public var month: Month?
    public var channel: String
    public var mrrStartMinor: Int64 = 0, newMinor: Int64 = 0, expansionMinor: Int64 = 0, contractionMinor: Int64 = 0
    public var churnMinor: Int64 = 0, reactivationMinor: Int64 = 0, mrrEndMinor: Int64 = 0
    public var customersStart = 0, customersEnd = 0, newCustomers = 0, reactivatedCustomers = 0, churnedCustomers = 0
}

extension MovementRecord {
    /// The row of `month` and `channel` from an accumulated movements row.
    public init(month: Month?, channel: String, _ r: MovementsAccumulator.Row) {
        self.init(
            month: month, channel: channel, mrrStartMinor: r.start, newMinor: r.new, expansionMinor: r.expansion,
            contractionMinor: r.contraction, churnMinor: r.churn, reactivationMinor: r.reactivation,
            mrrEndMinor: r.end, customersStart: r.customersStart, customersEnd: r.customersEnd,
            newCustomers: r.newCustomers, reactivatedCustomers: r.reactivatedCustomers,
            churnedCustomers: r.churnedCustomers)
    }
}
