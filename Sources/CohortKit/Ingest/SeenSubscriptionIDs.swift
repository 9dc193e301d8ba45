/// The `subscription_id`s ingest has seen, to drop re-exported rows and reject reused ids.
///
/// A `FingerprintTable` answers for any order of rows, but each lookup is a random access into
/// hundreds of megabytes: on a million customers it was most of the time ingest spent validating
/// subscriptions. Exports are usually sorted by id, and while the ids arrive in strictly
/// increasing byte order a repeat can only be of the row just before. So each id is compared with
/// the previous one and its fingerprint appended to a list (sequential memory); the first id that
/// is not greater than the previous one and not equal to it moves the list into a table, which
/// answers from then on. The answers are the table's: the line and check of the first row with
/// the id, or nil for a new id.
final class SeenSubscriptionIDs {
    private var table: FingerprintTable?
    private var pending: [(key: UInt64, line: Int32, check: UInt32)] = []
    /// The previous id's bytes and its first row's line and check.
    private var last: [UInt8] = []
    private var lastEntry: (line: Int32, check: UInt32)?
    private var expected = 0

    /// Sizes for about `count` ids: the list while ids come in order (reserved once, so it is not
    /// copied into fresh memory at every doubling: at 1M SaaS customers those copies were 4% of
    /// ingest's time, most of it the kernel clearing the new pages), and the table, if one is ever
    /// needed, made this size at once.
    func reserve(_ count: Int) {
        expected = max(expected, count)
        if let table {
            table.reserve(count)
        } else {
            pending.reserveCapacity(count)
        }
    }

    /// Ids the in-order list holds without growing (what `reserve` asked for, at least).
    var inOrderCapacity: Int { pending.capacity }

    /// Whether rows are still checked in sorted order (no table built).
    var isSortedSoFar: Bool { table == nil }

    /// Asks for the memory a lookup of `key` will read, when that is the table's (ids out of
    /// order): a random place in hundreds of megabytes, worth asking for a row ahead.
    @inline(__always)
    func prefetch(key: UInt64) { table?.prefetch(key) }

    /// The first row seen with `id` (fingerprint `key`), or nil after recording this row as the first.
    func existingOrInsert(_ id: String, key: UInt64, line: Int32, check: UInt32) -> (line: Int32, check: UInt32)? {
        var id = id
        return id.withUTF8 { existingOrInsert($0, key: key, line: line, check: check) }
    }

    /// As `existingOrInsert(_:key:line:check:)` for the id's UTF-8 bytes.
    func existingOrInsert(
        _ id: UnsafeBufferPointer<UInt8>, key: UInt64, line: Int32, check: UInt32
    ) -> (line: Int32, check: UInt32)? {
        if let table { return table.existingOrInsert(key, line: line, check: check) }
        let order = last.withUnsafeBufferPointer { UTF8Order.compare(id, $0) }
        if order > 0 || lastEntry == nil {
            last.removeAll(keepingCapacity: true)
            last.append(contentsOf: id)
            lastEntry = (line, check)
            pending.append((key, line, check))
            return nil
        }
        if order == 0 { return lastEntry }
        // Out of order: from here on the table answers, holding every id seen so far.
        let t = FingerprintTable()
        t.reserve(max(expected, pending.count * 2))
        for p in pending { _ = t.existingOrInsert(p.key, line: p.line, check: p.check) }
        pending = []
        table = t
        return t.existingOrInsert(key, line: line, check: check)
    }
}
