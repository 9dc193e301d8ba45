import Foundation

/// Accepted subscription rows on their way from ingest's validating thread to the thread that
/// writes them, their text fields packed as bytes (`PackedTexts`). (On a million customers'
/// nine million rows a `String` per field cost about a tenth of ingest's CPU time; with 36-byte
/// ids each was also a heap allocation freed on the other thread.) The writer spells each row
/// through `SubscriptionRecord.write(to:...)`, the record's own spelling, so the output is the
/// same bytes.
final class PackedSubscriptionRows: PackedBatch {
    typealias Text = PackedTexts.Text
    typealias Pool = PackedBatchPool<PackedSubscriptionRows>

    struct Row {
        var customerId: Text
        var subscriptionId: Text
        var product: Text
        var plan: Text
        var sourceCurrency: Text
        var quantity: Text
        var startDate: Day
        var endDate: Day?
        var mrrMinor: Int64
    }

    /// Rows per batch, and arena bytes after which a batch counts as full.
    static let maxRows = 8192
    static let arenaLimit = 1 << 20

    private(set) var rows: [Row] = []
    private let texts = PackedTexts(capacity: arenaLimit + (64 << 10))

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

    /// The customer id of row `i`, compared by bytes with `other` (for the writer's runs of rows).
    func customerId(of i: Int, equals other: [UInt8]) -> Bool { texts.field(rows[i].customerId, equals: other) }

    /// The customer id of row `i` as bytes.
    func customerIdBytes(of i: Int) -> [UInt8] { texts.bytes(of: rows[i].customerId) }

    /// Writes row `i` as the next line of `w`, exactly as its `SubscriptionRecord` would be.
    func write(_ i: Int, to w: JSONLWriter) throws {
        let r = rows[i]
        let field: (Text) -> UTF8Text? = texts.field
        w.begin()
        SubscriptionRecord.write(
            to: w.line, customerId: field(r.customerId)!, subscriptionId: field(r.subscriptionId),
            product: field(r.product)!, plan: field(r.plan), startDate: r.startDate, endDate: r.endDate,
            mrrMinor: r.mrrMinor, sourceCurrency: field(r.sourceCurrency), quantity: field(r.quantity))
        try w.end()
    }
}
