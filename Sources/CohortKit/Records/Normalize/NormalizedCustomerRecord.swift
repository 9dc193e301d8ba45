/// One row of normalize's customers.jsonl: a customer's cohort, channel, first paying stretch and
/// MRR at `as_of` (docs/metrics.md#customer-timeline).
///
/// Normalize writes one per customer through `write(to:)`; `CustomerTable` reads the members the
/// marts need by `Key` into columns, without building the record.
public struct NormalizedCustomerRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "customers"
    /// 2: a null field is omitted. 3: the fields the stage contract names (`cohort`,
    /// `first_start`, `first_churn`, `duration_days`) are written as `null` when unknown; only
    /// `signup_date`, `first_plan` and `first_product` are omitted when null.
    public static let schemaVersion = 3
    /// The JSON keys, spelled here and nowhere else.
    public enum Key {
        public static let customerId: StaticString = "customer_id"
        public static let cohort: StaticString = "cohort"
        public static let channel: StaticString = "channel"
        public static let attributes: StaticString = "attributes"
        public static let signupDate: StaticString = "signup_date"
        public static let firstStart: StaticString = "first_start"
        public static let firstChurn: StaticString = "first_churn"
        public static let durationDays: StaticString = "duration_days"
        public static let churned: StaticString = "churned"
        public static let mrrAtAsOfMinor: StaticString = "mrr_at_as_of_minor"
        public static let converted: StaticString = "converted"
        public static let firstPlan: StaticString = "first_plan"
        public static let firstProduct: StaticString = "first_product"
        public static let initialMRRMinor: StaticString = "initial_mrr_minor"
        public static let orphan: StaticString = "orphan"
    }
    /// The keys in the order they are written.
    public static let keys = [
        Key.customerId, Key.cohort, Key.channel, Key.attributes, Key.signupDate, Key.firstStart, Key.firstChurn,
        Key.durationDays, Key.churned, Key.mrrAtAsOfMinor, Key.converted, Key.firstPlan, Key.firstProduct,
        Key.initialMRRMinor, Key.orphan,
    ].map(\.description)

    public var customerId: String
    /// nil for a customer who never paid.
    public var cohort: Month?
    public var channel: String
    /// The JSON object of the customer's attributes, as ingest wrote it.
    public var attributes: ArraySlice<UInt8>
    public var signupDate: Day?
    /// The first paying stretch's start; nil for a customer who never paid.
    public var firstStart: Day?
    /// The first paying stretch's end; nil while it runs.
    public var firstChurn: Day?
    /// The first stretch's length in days (to `as_of`, inclusive, while it runs).
    public var durationDays: Int?
    public var churned: Bool
    public var mrrAtAsOfMinor: Int64
    public var converted: Bool
    public var firstPlan: String?
    public var firstProduct: String?
    public var initialMRRMinor: Int64
    /// Created from subscriptions: absent from ingest's customers.
    public var orphan: Bool

    /// Appends this row's members in the output's key order: the contract's fields always (null
    /// when unknown), the others only when they have a value.
    public func write(to line: JSONLineBuilder) {
        line.member(Key.customerId, customerId)
        line.member(Key.cohort, orNull: cohort)
        line.member(Key.channel, channel)
        line.key(Key.attributes)
        line.raw(attributes)
        line.member(Key.signupDate, omittingNull: signupDate)
        line.member(Key.firstStart, orNull: firstStart)
        line.member(Key.firstChurn, orNull: firstChurn)
        line.member(Key.durationDays, orNull: durationDays)
        line.member(Key.churned, churned)
        line.member(Key.mrrAtAsOfMinor, mrrAtAsOfMinor)
        line.member(Key.converted, converted)
        line.member(Key.firstPlan, omittingNull: firstPlan)
        line.member(Key.firstProduct, omittingNull: firstProduct)
        line.member(Key.initialMRRMinor, initialMRRMinor)
        line.member(Key.orphan, orphan)
    }
}

extension NormalizedCustomerRecord {
    /// Reads the current line of `r` (absent or null optional fields are nil).
    public init(reading r: JSONLReader) throws {
        guard r.lineError == nil, let id = r.string(Key.customerId), let channel = r.string(Key.channel) else {
            throw InputError.malformedFile(
                path: r.path, line: r.lineNumber, reason: r.lineError ?? "missing customer_id or channel")
        }
        self.init(
            customerId: id, cohort: r.month(Key.cohort), channel: channel,
            attributes: r.rawValue(Key.attributes) ?? ArraySlice("{}".utf8), signupDate: r.day(Key.signupDate),
            firstStart: r.day(Key.firstStart), firstChurn: r.day(Key.firstChurn),
            durationDays: r.int(Key.durationDays).map { Int($0) }, churned: r.bool(Key.churned) ?? false,
            mrrAtAsOfMinor: r.int(Key.mrrAtAsOfMinor) ?? 0, converted: r.bool(Key.converted) ?? false,
            firstPlan: r.string(Key.firstPlan), firstProduct: r.string(Key.firstProduct),
            initialMRRMinor: r.int(Key.initialMRRMinor) ?? 0, orphan: r.bool(Key.orphan) ?? false)
    }
}
