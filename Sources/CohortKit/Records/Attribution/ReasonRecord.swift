/// One row of churn-attribution's reasons.jsonl: the customers whose latest cancellation gave a
/// reason, per channel and category, with the MRR they took (docs/metrics.md#exit-reasons).
/// A row with reason `(all)` is its category's total; channel `(all)` totals over channels.
public struct ReasonRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "reasons"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let channel: StaticString = "channel"
        static let category: StaticString = "category"
        static let reason: StaticString = "reason"
        static let customers: StaticString = "customers"
        static let churnedMRRMinor: StaticString = "churned_mrr_minor"
    }

    public var channel: String
    public var category: String
    public var reason: String
    public var customers: Int
    public var churnedMRRMinor: Int64

    public init(channel: String, category: String, reason: String, customers: Int, churnedMRRMinor: Int64) {
        self.channel = channel
        self.category = category
        self.reason = reason
        self.customers = customers
        self.churnedMRRMinor = churnedMRRMinor
    }

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.key(Key.channel)
        line.string(channel)
        line.key(Key.category)
        line.string(category)
        line.key(Key.reason)
        line.string(reason)
        line.key(Key.customers)
        line.int(customers)
        line.key(Key.churnedMRRMinor)
        line.int(churnedMRRMinor)
    }

    /// Reads the current line of `r` (missing text as "", missing numbers as 0).
    public init(reading r: JSONLReader) {
        self.init(
            channel: r.string(Key.channel) ?? "", category: r.string(Key.category) ?? "",
            reason: r.string(Key.reason) ?? "", customers: Int(r.int(Key.customers) ?? 0),
            churnedMRRMinor: r.int(Key.churnedMRRMinor) ?? 0)
    }
}
