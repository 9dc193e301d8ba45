/// One row of cohort's movements.jsonl: a month × channel's MRR movements (docs/metrics.md#mrr-movements).
public struct MovementRecord: JSONLRecord, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "movements"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
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
        line.field(Key.month, month)
        line.field(Key.channel, channel)
        line.field(Key.mrrStartMinor, mrrStartMinor)
        line.field(Key.newMinor, newMinor)
        line.field(Key.expansionMinor, expansionMinor)
        line.field(Key.contractionMinor, contractionMinor)
        line.field(Key.churnMinor, churnMinor)
        line.field(Key.reactivationMinor, reactivationMinor)
        line.field(Key.mrrEndMinor, mrrEndMinor)
        line.field(Key.customersStart, customersStart)
        line.field(Key.customersEnd, customersEnd)
        line.field(Key.newCustomers, newCustomers)
        line.field(Key.reactivatedCustomers, reactivatedCustomers)
        line.field(Key.churnedCustomers, churnedCustomers)
    }

    /// Reads the current line of `r` (a missing month is nil, a missing channel "", missing amounts and counts 0).
    public init(reading r: JSONLReader) {
        month = r.month(Key.month)
        channel = r.text(Key.channel)
        mrrStartMinor = r.minor(Key.mrrStartMinor)
        newMinor = r.minor(Key.newMinor)
        expansionMinor = r.minor(Key.expansionMinor)
        contractionMinor = r.minor(Key.contractionMinor)
        churnMinor = r.minor(Key.churnMinor)
        reactivationMinor = r.minor(Key.reactivationMinor)
        mrrEndMinor = r.minor(Key.mrrEndMinor)
        customersStart = r.count(Key.customersStart)
        customersEnd = r.count(Key.customersEnd)
        newCustomers = r.count(Key.newCustomers)
        reactivatedCustomers = r.count(Key.reactivatedCustomers)
        churnedCustomers = r.count(Key.churnedCustomers)
    }
}
