/// Accepted customer rows on their way from ingest's validating thread to the thread that writes
/// them, their id, channel and attributes packed as bytes (`PackedTexts`): a customers export
/// with thirty attribute columns made thirty strings and an array per row, allocated on one
/// thread and freed on the other. The writer spells each row through
/// `IngestCustomerRecord.write(to:...)`, the record's own spelling, so the output is the same
/// bytes.
final class PackedCustomerRows: PackedBatch {
    typealias Text = PackedTexts.Text
    typealias Pool = PackedBatchPool<PackedCustomerRows>

    struct Row {
        var customerId: Text
        var signupDate: Day?
        /// Absent when the source's value is empty or absent.
        var acquisitionChannel: Text
        /// The row's attributes: `attributeCount` (name, value) pairs from `firstAttribute`.
        var firstAttribute: Int32
        var attributeCount: Int32
        /// The row's line in the source file.
        var line: Int
    }

    /// Rows per batch, and arena bytes after which a batch counts as full.
    static let maxRows = 8192
    static let arenaLimit = 1 << 20

    private(set) var rows: [Row] = []
    /// Names and values of every row's attributes, in turn.
    private var attributes: [Text] = []
    private let texts = PackedTexts(capacity: arenaLimit + (64 << 10))

    init() { rows.reserveCapacity(Self.maxRows) }

    func clear() {
        rows.removeAll(keepingCapacity: true)
        attributes.removeAll(keepingCapacity: true)
        texts.clear()
    }

    var count: Int { rows.count }
    var isFull: Bool { rows.count >= Self.maxRows || texts.count >= Self.arenaLimit }

    /// Copies a field's bytes (`PackedTexts.text(_:)`); nil bytes are an absent field.
    func text(_ b: UnsafeBufferPointer<UInt8>?) -> Text { texts.text(b) }

    /// Copies `s`'s bytes.
    func text(_ s: String) -> Text { texts.text(s) }

    /// Copies each of `names` (the CSV columns' attribute names, once per batch).
    func texts(_ names: [[UInt8]]) -> [Text] { names.map { n in n.withUnsafeBufferPointer { text($0) } } }

    /// Adds an attribute of the row being packed (before `append` adds the row itself).
    func attribute(name: Text, value: Text) {
        attributes.append(name)
        attributes.append(value)
    }

    /// The index `firstAttribute` of the row being packed takes (the attributes added since the
    /// last row).
    var nextAttribute: Int32 { Int32(attributes.count / 2) }

    func append(_ row: Row) { rows.append(row) }

    /// Writes row `i` as the next line of `w`, exactly as its `IngestCustomerRecord` would be.
    func write(_ i: Int, to w: JSONLWriter) throws {
        let r = rows[i]
        let field: (Text) -> UTF8Text? = texts.field
        w.begin()
        IngestCustomerRecord.write(
            to: w.line, customerId: field(r.customerId)!, signupDate: r.signupDate,
            acquisitionChannel: field(r.acquisitionChannel), lineNumber: r.line
        ) { line in
            var k = 2 * Int(r.firstAttribute)
            for _ in 0..<r.attributeCount {
                line.key(field(attributes[k])!)
                field(attributes[k + 1])!.write(to: line)
                k += 2
            }
        }
        try w.end()
    }
}
