/// One row of ingest's subscriptions.jsonl: an accepted subscription row, its MRR in the report
/// currency's minor units (docs/stages.md#ingest).
///
/// The largest intermediate file: ingest writes each row on the writer's thread through
/// `write(to:customerId:...)`, the spelling `write(to:)` uses too, from rows packed as bytes
/// (`PackedSubscriptionRows`); normalize reads the members it needs by `Key` without building the
/// record.
public struct SubscriptionRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "subscriptions"
    /// 2: a null field is omitted (`subscription_id`, `plan`, `end_date`).
    public static let schemaVersion = 2
    /// The JSON keys, spelled here and nowhere else.
    public enum Key {
        public static let customerId: StaticString = "customer_id"
        public static let subscriptionId: StaticString = "subscription_id"
        public static let product: StaticString = "product"
        public static let plan: StaticString = "plan"
        public static let startDate: StaticString = "start_date"
        public static let endDate: StaticString = "end_date"
        public static let mrrMinor: StaticString = "mrr_minor"
        public static let sourceCurrency: StaticString = "source_currency"
        public static let quantity: StaticString = "quantity"
    }
    /// The keys in the order they are written.
    public static let keys = [
        Key.customerId, Key.subscriptionId, Key.product, Key.plan, Key.startDate, Key.endDate, Key.mrrMinor,
        Key.sourceCurrency, Key.quantity,
    ].map(\.description)

    public var customerId: String
    public var subscriptionId: String?
    public var product: String
    public var plan: String?
    public var startDate: Day
    /// nil while the subscription runs.
    public var endDate: Day?
    public var mrrMinor: Int64
    /// The source's currency, only when the row was converted to the report currency.
    public var sourceCurrency: String? = nil
    /// The source's quantity as written, only when given.
    public var quantity: String? = nil

    /// Appends this row's members in the output's key order (null fields omitted).
    @inlinable public func write(to line: JSONLineBuilder) {
        Self.write(
            to: line, customerId: customerId, subscriptionId: subscriptionId, product: product, plan: plan,
            startDate: startDate, endDate: endDate, mrrMinor: mrrMinor, sourceCurrency: sourceCurrency,
            quantity: quantity)
    }

    /// A row's members in the output's key order, null fields omitted: the one spelling of a row,
    /// for the record and for ingest's packed rows (`PackedSubscriptionRows`), whose text is bytes.
    @inlinable static func write<Text: JSONLineValue>(
        to line: JSONLineBuilder, customerId: Text, subscriptionId: Text?, product: Text, plan: Text?,
        startDate: Day, endDate: Day?, mrrMinor: Int64, sourceCurrency: Text?, quantity: Text?
    ) {
        line.member(Key.customerId, customerId)
        line.member(Key.subscriptionId, omittingNull: subscriptionId)
        line.member(Key.product, product)
        line.member(Key.plan, omittingNull: plan)
        line.member(Key.startDate, startDate)
        line.member(Key.endDate, omittingNull: endDate)
        line.member(Key.mrrMinor, mrrMinor)
        line.member(Key.sourceCurrency, omittingNull: sourceCurrency)
        line.member(Key.quantity, omittingNull: quantity)
    }
}

extension SubscriptionRecord {
    /// Reads the current line of `r` (absent or null optional fields are nil).
    public init(reading r: JSONLReader) throws {
        guard r.lineError == nil, let cid = r.string(Key.customerId), let start = r.day(Key.startDate),
            let mrr = r.int(Key.mrrMinor)
        else {
            throw InputError.malformedFile(
                path: r.path, line: r.lineNumber, reason: r.lineError ?? "missing customer_id, start_date or mrr_minor")
        }
        self.init(
            customerId: cid, subscriptionId: r.string(Key.subscriptionId), product: r.string(Key.product) ?? "default",
            plan: r.string(Key.plan), startDate: start, endDate: r.day(Key.endDate), mrrMinor: mrr,
            sourceCurrency: r.string(Key.sourceCurrency), quantity: r.string(Key.quantity))
    }
}
