import Foundation

/// The text fields of rows on their way from ingest's validating thread to the thread that
/// writes them, copied as bytes into one arena per batch (`PackedSubscriptionRows`,
/// `PackedEventRows`, `PackedCustomerRows`): neither thread makes, retains or releases a
/// `String` per field, and no field's memory is allocated on one thread and freed on the other
/// (which made the two wait on the allocator's lock).
///
/// A field's text is the bytes its `String` would hold: valid UTF-8 as it is, anything else as
/// `String(decoding:as:)` repairs it (`TextDecoding.withRepairedUTF8`).
final class PackedTexts {
    /// Where one text field is in the arena; `count < 0` marks an absent one.
    struct Text {
        var start: Int32
        var count: Int32
        static let absent = Text(start: 0, count: -1)
    }

    /// The arena: `count` bytes written of `capacity` (memory of its own rather than an array:
    /// no uniqueness check or generic copy per field of a few bytes).
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Empties the arena, keeping its memory.
    func clear() { count = 0 }

    /// Copies `b` (repaired as `String(decoding:as:)` repairs it when it is not valid UTF-8);
    /// nil bytes are an absent field.
    func text(_ b: UnsafeBufferPointer<UInt8>?) -> Text {
        guard let b else { return .absent }
        return TextDecoding.withRepairedUTF8(b) { v in
            let t = Text(start: Int32(count), count: Int32(v.count))
            if let src = v.baseAddress, v.count > 0 {
                if count + v.count > capacity { grow(to: count + v.count) }
                (base + count).initialize(from: src, count: v.count)
                count += v.count
            }
            return t
        }
    }

    /// As `text(_:)`, but nil (not a field) for no bytes as well as for nil.
    func text(nonEmpty b: UnsafeBufferPointer<UInt8>?) -> Text? {
        guard let b, !b.isEmpty else { return nil }
        return text(b)
    }

    /// Copies `s`'s bytes.
    func text(_ s: String) -> Text {
        var s = s
        return s.withUTF8 { text($0) }
    }

    private func grow(to needed: Int) {
        let bigger = max(capacity * 2, needed)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        p.initialize(from: base, count: count)
        base.deallocate()
        base = p
        capacity = bigger
    }

    /// The bytes of field `t` (present; valid until the arena is cleared or grows).
    func bytes(_ t: Text) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + Int(t.start), count: Int(t.count))
    }

    /// Field `t` as JSON text (nil when absent).
    func field(_ t: Text) -> UTF8Text? { t.count < 0 ? nil : UTF8Text(bytes: bytes(t)) }

    /// Whether field `t` (present) holds the same bytes as `other`.
    func field(_ t: Text, equals other: [UInt8]) -> Bool {
        other.withUnsafeBufferPointer { UTF8Order.equal(bytes(t), $0) }
    }

    /// The bytes of field `t` (present), copied.
    func bytes(of t: Text) -> [UInt8] { Array(bytes(t)) }
}

/// A batch of packed rows that a `PackedBatchPool` hands out again once written.
protocol PackedBatch: AnyObject {
    init()
    /// Empties the batch, keeping its memory for the next rows.
    func clear()
    /// The rows in the batch.
    var count: Int { get }
    /// Writes row `i` as the next line of `w`, exactly as its record would be.
    func write(_ i: Int, to w: JSONLWriter) throws
}

/// Batches the writer is done with, for the validating thread to fill again: the memory of a
/// few batches is reused instead of fresh pages faulted in for every one.
final class PackedBatchPool<Batch: PackedBatch>: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Batch] = []

    /// An empty batch: one handed back, or a new one.
    func take() -> Batch {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? Batch()
    }

    /// Hands back a batch that has been written.
    func give(_ batch: Batch) {
        batch.clear()
        lock.lock()
        free.append(batch)
        lock.unlock()
    }
}

extension PackedBatchPool {
    /// A writer for `out` that writes every row of each batch handed to it (after `before` with
    /// the batch and the row's index, when given) on its thread (inline without `background`),
    /// then hands the batch back to this pool to be filled again.
    func rowWriter(
        to out: JSONLWriter, background: Bool, before: ((Batch, Int) -> Void)? = nil
    ) -> BackgroundRowWriter<Batch> {
        BackgroundRowWriter<Batch>(writer: out, background: background, batchSize: 1) { batch, w in
            for i in 0..<batch.count {
                before?(batch, i)
                try batch.write(i, to: w)
            }
            self.give(batch)
        }
    }
}
