/// One row of cohort's movements.jsonl: a month × channel's MRR movements (docs/metrics.md#mrr-movements).
public struct MovementRecord: CohortRowRecord, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "movements"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let month: StaticString = "month"
        static let channel: StaticString = "channel"
        static let mrrStartMinor: StaticString = "mrr_start_minor"
        static let newMinor: StaticString = "new_minor"
        static let expansionMinor: StaticString = "expansion_minor"
        static let contractionMinor: StaticString = "contraction_minor"
        static let churnMinor: StaticString = "churn_minor"
        static let reactivationMinor: StaticString = "reactivation_minor"
        static let mrrEndMinor: StaticString = "mrr_end_minor"
        static let customersStart: StaticString = "customers_start"
        static let customersEnd: StaticString = "customers_end"
        static let newCustomers: StaticString = "new_customers"
        static let reactivatedCustomers: StaticString = "reactivated_customers"
        static let churnedCustomers: StaticString = "churned_customers"
    }

    public var month: Month?
    public var channel: String
    public var mrrStartMinor: Int64 = 0, newMinor: Int64 = 0, expansionMinor: Int64 = 0, contractionMinor: Int64 = 0
    public var churnMinor: Int64 = 0, reactivationMinor: Int64 = 0, mrrEndMinor: Int64 = 0
    public var customersStart = 0, customersEnd = 0, newCustomers = 0, reactivatedCustomers = 0, churnedCustomers = 0

    /// The row of `month` and `channel` from an accumulated movements row.
    public init(month: Month?, channel: String, _ r: MovementsAccumulator.Row) {
        self.month = month
        self.channel = channel
        mrrStartMinor = r.start
        newMinor = r.new
        expansionMinor = r.expansion
        contractionMinor = r.contraction
        churnMinor = r.churn
        reactivationMinor = r.reactivation
        mrrEndMinor = r.end
        customersStart = r.customersStart
        customersEnd = r.customersEnd
        newCustomers = r.newCustomers
        reactivatedCustomers = r.reactivatedCustomers
        churnedCustomers = r.churnedCustomers
    }

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.key(Key.month)
        line.month(month)
        line.key(Key.channel)
        line.string(channel)
        line.key(Key.mrrStartMinor)
        line.int(mrrStartMinor)
        line.key(Key.newMinor)
        line.int(newMinor)
        line.key(Key.expansionMinor)
        line.int(expansionMinor)
        line.key(Key.contractionMinor)
        line.int(contractionMinor)
        line.key(Key.churnMinor)
        line.int(churnMinor)
        line.key(Key.reactivationMinor)
        line.int(reactivationMinor)
        line.key(Key.mrrEndMinor)
        line.int(mrrEndMinor)
        line.key(Key.customersStart)
        line.int(customersStart)
        line.key(Key.customersEnd)
        line.int(customersEnd)
        line.key(Key.newCustomers)
        line.int(newCustomers)
        line.key(Key.reactivatedCustomers)
        line.int(reactivatedCustomers)
        line.key(Key.churnedCustomers)
        line.int(churnedCustomers)
    }

    /// Reads the current line of `r` (a missing month is nil, a missing channel "", missing amounts and counts 0).
    public init(reading r: JSONLReader) {
        month = r.string(Key.month).flatMap(Month.init(iso:))
        channel = r.string(Key.channel) ?? ""
        mrrStartMinor = r.int(Key.mrrStartMinor) ?? 0
        newMinor = r.int(Key.newMinor) ?? 0
        expansionMinor = r.int(Key.expansionMinor) ?? 0
        contractionMinor = r.int(Key.contractionMinor) ?? 0
        churnMinor = r.int(Key.churnMinor) ?? 0
        reactivationMinor = r.int(Key.reactivationMinor) ?? 0
        mrrEndMinor = r.int(Key.mrrEndMinor) ?? 0
        customersStart = Int(r.int(Key.customersStart) ?? 0)
        customersEnd = Int(r.int(Key.customersEnd) ?? 0)
        newCustomers = Int(r.int(Key.newCustomers) ?? 0)
        reactivatedCustomers = Int(r.int(Key.reactivatedCustomers) ?? 0)
        churnedCustomers = Int(r.int(Key.churnedCustomers) ?? 0)
    }
}
