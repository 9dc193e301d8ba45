/// One row of normalize's intervals.jsonl: a paying interval of a customer's product, bridged,
/// joined with its renewals at the same MRR and capped at `as_of`
/// (docs/metrics.md#intervals-and-activity).
///
/// Millions of rows: normalize writes them with the static `write(customerId:...)` (no record
/// built per row), and `IntervalStream` and the benchmark read the members by `Key`.
public struct IntervalRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "intervals"
    /// 2: a null field is omitted (`end` of an interval running at `as_of`). 3: back-to-back
    /// renewals of a product at one MRR are one row (`Activity.joinRenewals`), not one per
    /// subscription. 4: `end` is written as `null` while the interval runs, as the stage
    /// contract names it.
    public static let schemaVersion = 4
    /// The JSON keys, spelled here and nowhere else.
    public enum Key {
        public static let customerId: StaticString = "customer_id"
        public static let product: StaticString = "product"
        public static let start: StaticString = "start"
        public static let end: StaticString = "end"
        public static let mrrMinor: StaticString = "mrr_minor"
    }
    /// The keys in the order they are written.
    public static let keys = [Key.customerId, Key.product, Key.start, Key.end, Key.mrrMinor].map(\.description)

    public var customerId: String
    public var product: String
    public var start: Day
    /// nil when the interval runs past `as_of`.
    public var end: Day?
    public var mrrMinor: Int64

    /// Appends this row's members in the output's key order (`end` null while the interval runs).
    @inlinable public func write(to line: JSONLineBuilder) {
        Self.write(customerId: customerId, product: product, start: start, end: end, mrrMinor: mrrMinor, to: line)
    }

    /// Appends one row's members in the output's key order, from the values (the hot path).
    @inlinable public static func write(
        customerId: String, product: String, start: Day, end: Day?, mrrMinor: Int64, to line: JSONLineBuilder
    ) {
        line.member(Key.customerId, customerId)
        line.member(Key.product, product)
        line.member(Key.start, start)
        line.member(Key.end, orNull: end)
        line.member(Key.mrrMinor, mrrMinor)
    }
}

extension IntervalRecord {
    /// Reads the current line of `r` (an absent or null `end` is nil).
    public init(reading r: JSONLReader) throws {
        guard r.lineError == nil, let cid = r.string(Key.customerId), let start = r.day(Key.start),
            let mrr = r.int(Key.mrrMinor)
        else {
            throw InputError.malformedFile(
                path: r.path, line: r.lineNumber, reason: r.lineError ?? "missing customer_id, start or mrr_minor")
        }
        self.init(
            customerId: cid, product: r.string(Key.product) ?? "default", start: start, end: r.day(Key.end),
            mrrMinor: mrr)
    }
}
