/// A batch of accepted rows on their way from ingest's validating thread to the thread that
/// writes them, their text fields packed as bytes (`PackedTexts`): subscriptions
/// (`PackedSubscriptionRows`) and events (`PackedEventRows`). (On a million customers' nine
/// million subscription rows a `String` per field cost about a tenth of ingest's CPU time; with
/// 36-byte ids each was also a heap allocation freed on the other thread. On their four million
/// events, strings cost a fifth of the time ingest spent on them.) The writer spells each row
/// through its record's own spelling (`SubscriptionRecord.write(to:...)`,
/// `EventRecord.write(to:...)`), so the output is the same bytes.
final class PackedRowBatch<Row: PackedRow>: PackedBatch {
    typealias Text = PackedTexts.Text
    typealias Pool = PackedBatchPool<PackedRowBatch<Row>>

    /// Rows per batch, and arena bytes after which a batch counts as full.
    static var maxRows: Int { 8192 }
    static var arenaLimit: Int { 1 << 20 }

    private(set) var rows: [Row] = []
    let texts = PackedTexts(capacity: arenaLimit + (64 << 10))

    init() { rows.reserveCapacity(Self.maxRows) }

    func clear() {
        rows.removeAll(keepingCapacity: true)
        texts.clear()
    }

    var count: Int { rows.count }
    var isFull: Bool { rows.count >= Self.maxRows || texts.count >= Self.arenaLimit }

    /// Copies a field's bytes (`PackedTexts.text(_:)`); nil bytes are an absent field.
    func text(_ b: UnsafeBufferPointer<UInt8>?) -> Text { texts.text(b) }

    /// As `text(_:)`, but nil (not a field) for no bytes as well as for nil.
    func text(nonEmpty b: UnsafeBufferPointer<UInt8>?) -> Text? { texts.text(nonEmpty: b) }

    /// Copies `s`'s bytes.
    func text(_ s: String) -> Text { texts.text(s) }

    func append(_ row: Row) { rows.append(row) }

    /// Writes row `i` as the next line of `w`, exactly as its record would be.
    func write(_ i: Int, to w: JSONLWriter) throws {
        w.begin()
        Row.write(rows[i], texts: texts, to: w.line)
        try w.end()
    }
}

/// A row of a `PackedRowBatch`: its members spelled as its record spells them.
protocol PackedRow {
    /// Appends `row`'s members to `line`, its text fields read from `texts`.
    static func write(_ row: Self, texts: PackedTexts, to line: JSONLineBuilder)
}

/// One subscription row of a `PackedSubscriptionRows` batch.
struct PackedSubscriptionRow: PackedRow {
    typealias Text = PackedTexts.Text
    var customerId: Text
    var subscriptionId: Text
    var product: Text
    var plan: Text
    var sourceCurrency: Text
    var quantity: Text
    var startDate: Day
    var endDate: Day?
    var mrrMinor: Int64

    /// As its `SubscriptionRecord` would be written.
    static func write(_ r: Self, texts: PackedTexts, to line: JSONLineBuilder) {
        let field: (Text) -> UTF8Text? = texts.field
        SubscriptionRecord.write(
            to: line, customerId: field(r.customerId)!, subscriptionId: field(r.subscriptionId),
            product: field(r.product)!, plan: field(r.plan), startDate: r.startDate, endDate: r.endDate,
            mrrMinor: r.mrrMinor, sourceCurrency: field(r.sourceCurrency), quantity: field(r.quantity))
    }
}

typealias PackedSubscriptionRows = PackedRowBatch<PackedSubscriptionRow>

extension PackedRowBatch where Row == PackedSubscriptionRow {
    /// The customer id of row `i`, compared by bytes with `other` (for the writer's runs of rows).
    func customerId(of i: Int, equals other: [UInt8]) -> Bool { texts.field(rows[i].customerId, equals: other) }

    /// The customer id of row `i` as bytes.
    func customerIdBytes(of i: Int) -> [UInt8] { texts.bytes(of: rows[i].customerId) }
}
