import Foundation

/// Accepted subscription rows on their way from ingest's validating thread to the thread that
/// writes them: each row's text fields are copied as bytes into one arena per batch, so neither
/// thread makes, retains or releases a `String` per field. (On a million customers' nine million
/// rows those strings cost about a tenth of ingest's CPU time; with 36-byte ids each was also a
/// heap allocation freed on the other thread.)
///
/// A row's text is the bytes its `String` would hold: valid UTF-8 as it is, anything else as
/// `String(decoding:as:)` repairs it (`TextDecoding.withRepairedUTF8`). The writer spells each row through
/// `SubscriptionRecord.write(to:...)`, the record's own spelling, so the output is the same bytes.
final class PackedSubscriptionRows {
    /// Where one text field is in the arena; `count < 0` marks an absent one.
    struct Text {
        var start: Int32
        var count: Int32
        static let absent = Text(start: 0, count: -1)
    }

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
    private var arena: [UInt8] = []

    init() {
        rows.reserveCapacity(Self.maxRows)
        arena.reserveCapacity(Self.arenaLimit + (64 << 10))
    }

    /// Empties the batch, keeping its memory for the next rows.
    func clear() {
        rows.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    /// Batches the writer is done with, for the validating thread to fill again: the memory of a
    /// few batches is reused instead of fresh pages faulted in for every one.
    final class Pool: @unchecked Sendable {
        private let lock = NSLock()
        private var free: [PackedSubscriptionRows] = []

        /// An empty batch: one handed back, or a new one.
        func take() -> PackedSubscriptionRows {
            lock.lock()
            defer { lock.unlock() }
            return free.popLast() ?? PackedSubscriptionRows()
        }

        /// Hands back a batch that has been written.
        func give(_ batch: PackedSubscriptionRows) {
            batch.clear()
            lock.lock()
            free.append(batch)
            lock.unlock()
        }
    }

    var count: Int { rows.count }
    var isFull: Bool { rows.count >= Self.maxRows || arena.count >= Self.arenaLimit }

    /// Copies `b` (repaired as `String(decoding:as:)` repairs it when it is not valid UTF-8)
    /// into the arena; nil bytes are an absent field.
    func text(_ b: UnsafeBufferPointer<UInt8>?) -> Text {
        guard let b else { return .absent }
        return TextDecoding.withRepairedUTF8(b) { v in
            let t = Text(start: Int32(arena.count), count: Int32(v.count))
            arena.append(contentsOf: v)
            return t
        }
    }

    /// As `text(_:)`, but nil (not a field) for no bytes as well as for nil.
    func text(nonEmpty b: UnsafeBufferPointer<UInt8>?) -> Text? {
        guard let b, !b.isEmpty else { return nil }
        return text(b)
    }

    /// Copies `s`'s bytes into the arena.
    func text(_ s: String) -> Text {
        var s = s
        return s.withUTF8 { text($0) }
    }

    func append(_ row: Row) { rows.append(row) }

    /// The customer id of row `i`, compared by bytes with `other` (for the writer's runs of rows).
    func customerId(of i: Int, equals other: [UInt8]) -> Bool {
        let t = rows[i].customerId
        return arena.withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer {
                UTF8Order.equal(UnsafeBufferPointer(rebasing: a[Int(t.start)..<Int(t.start + t.count)]), $0)
            }
        }
    }

    /// The customer id of row `i` as bytes.
    func customerIdBytes(of i: Int) -> [UInt8] {
        let t = rows[i].customerId
        return Array(arena[Int(t.start)..<Int(t.start + t.count)])
    }

    /// Writes row `i` as the next line of `w`, exactly as its `SubscriptionRecord` would be.
    func write(_ i: Int, to w: JSONLWriter) throws {
        let r = rows[i]
        arena.withUnsafeBufferPointer { a in
            func field(_ t: Text) -> UTF8Text? {
                t.count < 0
                    ? nil : UTF8Text(bytes: UnsafeBufferPointer(rebasing: a[Int(t.start)..<Int(t.start + t.count)]))
            }
            w.begin()
            SubscriptionRecord.write(
                to: w.line, customerId: field(r.customerId)!, subscriptionId: field(r.subscriptionId),
                product: field(r.product)!, plan: field(r.plan), startDate: r.startDate, endDate: r.endDate,
                mrrMinor: r.mrrMinor, sourceCurrency: field(r.sourceCurrency), quantity: field(r.quantity))
        }
        try w.end()
    }
}
