/// One row of churn-attribution's reasons.jsonl: the customers whose latest cancellation gave a
/// reason, per channel and category, with the MRR they took (docs/metrics.md#exit-reasons).
/// A row with reason `(all)` is its category's total; channel `(all)` totals over channels.
public struct ReasonRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "reasons"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
        static let category: StaticString = "category"
        static let reason: StaticString = "reason"
        static let churnedMRRMinor: StaticString = "churned_mrr_minor"
    }

    public var channel: String
    public var category: String
    public var reason: String
    public var customers: Int
    public var churnedMRRMinor: Int64

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.field(Key.channel, channel)
        line.field(Key.category, category)
        line.field(Key.reason, reason)
        line.field(Key.customers, customers)
        line.field(Key.churnedMRRMinor, churnedMRRMinor)
    }

}

extension ReasonRecord {
    /// Reads the current line of `r` (missing text as "", missing numbers as 0).
    public init(reading r: JSONLReader) {
        self.init(
            channel: r.text(Key.channel), category: r.text(Key.category),
            reason: r.text(Key.reason), customers: r.count(Key.customers),
            churnedMRRMinor: r.minor(Key.churnedMRRMinor))
    }
}
