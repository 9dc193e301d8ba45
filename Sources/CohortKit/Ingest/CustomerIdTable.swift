import Foundation

/// The customers ingest has seen, keyed by the bytes of their ids, each with the line it was first
/// seen on and a hash of that row's values (to tell an exact repeat from a conflicting one).
///
/// Every subscription, cancellation and event row asks whether its customer is known: a million
/// customers means millions of lookups on ingest's busiest thread, and in a hash table each is a
/// cache miss. Exports are usually sorted by customer id, and the other files list customers in
/// that same order. So entries and id bytes are kept in the order first seen, and while the ids
/// arrive in strictly increasing byte order (repeats of earlier ones aside) no hash index is built:
/// an insert compares with the last id, and a lookup walks forward a few entries from the previous
/// answer (sequential memory), or binary-searches when the answer lies further. A new id out of
/// order, or lookups that keep missing the walk, build the hash index once, which then answers as
/// any hash table would; the answers never depend on which path gave them.
///
/// Ids match as Swift strings do, by canonical equivalence (as the later stages' dictionaries
/// match them): an id with any non-ASCII byte is keyed by its composed form (NFC), so `é` typed as
/// one character or as `e` and a combining accent is one customer. ASCII ids are keyed as they are.
///
/// The hash is the standard library's `Hasher`, seeded per process, so ids crafted to collide
/// cannot be prepared in advance; nothing iterates the index, so the seed cannot reach an output.
/// Inserts, and lookups through `contains`, come from one thread at a time. Once the inserts are
/// over, any number of threads may look ids up at once through `number(of:_:)`, each with its own
/// cursor.
final class CustomerIdTable {
    struct Entry {
        var start: Int
        var count: Int
        var line: Int
        var rowHash: UInt64
    }

    /// A reader's place in a sorted table: the entry its last lookup found or stopped at, and how
    /// many binary searches it has made.
    struct Cursor {
        var at = 0
        var searches = 0
        /// Whether this reader has seen the hash index built (it then reads it without the lock).
        var indexSeen = false
    }

    private var entries: [Entry] = []
    private var bytes: [UInt8] = []
    /// Whether every id so far was greater than the one before (then `slots` may be empty).
    private var sorted = true
    /// The cursor of `contains` and of the inserts' searches.
    private var own = Cursor()
    /// 0 = empty; otherwise the entry's number + 1 above the low `tagBits` bits of the key's hash.
    private var slots: [UInt64] = []
    private var mask = 0
    private var expected = 0
    private let hashMask: UInt64
    /// Held while the index is built for readers on several threads.
    private let indexing = NSLock()
    private static let tagBits: UInt64 = 24
    private static let tagMask: UInt64 = (1 << tagBits) - 1
    /// Entries a sorted lookup walks forward before searching further.
    static let walk = 16
    /// Binary searches (about 20 scattered reads each at a million customers) a cursor may make
    /// before its lookups are deemed unordered and the hash index (one or two reads) takes over.
    static let searchesBeforeIndex = 4096

    /// `hashMask` narrows the hash, for tests that force every key into a few slots and tags.
    init(hashMask: UInt64 = ~0) {
        self.hashMask = hashMask
    }

    var count: Int { entries.count }

    /// Whether the hash index has been built (tests look at which path answered).
    var isIndexed: Bool { !slots.isEmpty }

    /// Makes room for `count` customers in all.
    func reserveCapacity(_ count: Int) {
        expected = max(expected, count)
        entries.reserveCapacity(count)
        bytes.reserveCapacity(count * 12)
        if isIndexed, Self.size(for: count) > slots.count { rehash(to: Self.size(for: count)) }
    }

    /// Whether `id` has been stored.
    func contains(_ id: String) -> Bool { number(of: id, &own) != nil }

    /// The number of the entry holding `id` (0 for the first id inserted, 1 for the next new one,
    /// and so on), or nil. Threads may call this at once, each with its own cursor, while nothing
    /// is inserted.
    func number(of id: String, _ cursor: inout Cursor) -> Int? {
        Self.withKey(id) { key in
            guard sorted else { return find(key, hash: hash(key)).entry }
            guard !entries.isEmpty else { return nil }
            if let found = walkForward(key, &cursor.at) { return found }
            if cursor.searches < Self.searchesBeforeIndex {
                cursor.searches += 1
                return search(key, &cursor.at)
            }
            if !cursor.indexSeen {
                indexing.lock()
                if !isIndexed { rehash(to: Self.size(for: max(expected, entries.count))) }
                indexing.unlock()
                cursor.indexSeen = true
            }
            guard let e = find(key, hash: hash(key)).entry else { return nil }
            cursor.at = e
            return e
        }
    }

    /// The line and row hash first stored for `id`; or nil, after storing `line` and `rowHash`.
    func existingOrInsert(_ id: String, line: Int, rowHash: UInt64) -> (line: Int, rowHash: UInt64)? {
        Self.withKey(id) { key in
            if sorted {
                let last = entries.count - 1
                let order = entries.isEmpty ? 1 : compare(key, last)
                if order > 0 {
                    append(key, line: line, rowHash: rowHash)
                    if isIndexed { index(entries.count - 1, hash: hash(key)) }
                    return nil
                }
                if order == 0 { return (entries[last].line, entries[last].rowHash) }
                // A repeat of an earlier customer keeps the order; a new id out of order ends it.
                if let e = isIndexed ? find(key, hash: hash(key)).entry : search(key, &own.at) {
                    return (entries[e].line, entries[e].rowHash)
                }
                sorted = false
            }
            let h = hash(key)
            if let e = find(key, hash: h).entry { return (entries[e].line, entries[e].rowHash) }
            append(key, line: line, rowHash: rowHash)
            index(entries.count - 1, hash: h)
            return nil
        }
    }

    /// Calls `body` with the bytes `id` is keyed by: those of its composed form (`KeyText.composed`).
    @inline(__always)
    private static func withKey<T>(_ id: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        var id = KeyText.composed(id)
        return id.withUTF8(body)
    }

    /// In sorted order, when the answer lies within `walk` entries forward of `at`: the entry
    /// holding the key, or `.some(nil)` when it is absent. nil when the walk cannot tell.
    @inline(__always)
    private func walkForward(_ key: UnsafeBufferPointer<UInt8>, _ at: inout Int) -> Int?? {
        var i = at
        let end = min(entries.count, at + Self.walk)
        while i < end {
            let order = compare(key, i)
            if order == 0 {
                at = i
                return .some(i)
            }
            if order < 0 {
                // Below the cursor's entry: somewhere earlier, which the walk does not look at.
                if i == at { return nil }
                at = i - 1  // the entry below the key, where the next key, if greater, starts
                return .some(nil)
            }
            i += 1
        }
        // Past the last id: no entry can match.
        if end == entries.count {
            at = entries.count - 1
            return .some(nil)
        }
        return nil
    }

    /// In sorted order: a binary search over every entry, leaving `at` at the match or at the
    /// last entry below the key (the first entry when there is none).
    private func search(_ key: UnsafeBufferPointer<UInt8>, _ at: inout Int) -> Int? {
        var lo = 0
        var hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let order = compare(key, mid)
            if order == 0 {
                at = mid
                return mid
            }
            if order > 0 { lo = mid + 1 } else { hi = mid }
        }
        at = max(0, lo - 1)
        return nil
    }

    private func append(_ key: UnsafeBufferPointer<UInt8>, line: Int, rowHash: UInt64) {
        entries.append(Entry(start: bytes.count, count: key.count, line: line, rowHash: rowHash))
        bytes.append(contentsOf: key)
    }

    /// The key against entry `e` in byte order: negative, zero or positive.
    @inline(__always)
    private func compare(_ key: UnsafeBufferPointer<UInt8>, _ e: Int) -> Int {
        let entry = entries[e]
        return bytes.withUnsafeBufferPointer {
            UTF8Order.compare(key, UnsafeBufferPointer(rebasing: $0[entry.start..<entry.start + entry.count]))
        }
    }

    @inline(__always)
    private func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = Hasher()
        h.combine(bytes: UnsafeRawBufferPointer(key))
        return UInt64(bitPattern: Int64(h.finalize())) & hashMask
    }

    /// The entry holding `key`, or nil (building the hash index first if there is none; only an
    /// insert or `contains` gets here without one, never a reader on another thread).
    private func find(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> (entry: Int?, slot: Int) {
        if !isIndexed { rehash(to: Self.size(for: max(expected, entries.count + 1))) }
        let tag = h & Self.tagMask
        var i = Int(truncatingIfNeeded: h >> Self.tagBits) & mask
        while true {
            let s = slots[i]
            if s == 0 { return (nil, i) }
            if s & Self.tagMask == tag {
                let e = Int(truncatingIfNeeded: s >> Self.tagBits) - 1
                if compare(key, e) == 0 { return (e, i) }
            }
            i = (i + 1) & mask
        }
    }

    /// Puts entry `e` (hash `h`) in the index, growing it to keep the load under 70%.
    private func index(_ e: Int, hash h: UInt64) {
        if entries.count * 10 > slots.count * 7 { rehash(to: Self.size(for: entries.count * 2)) }
        place(e, hash: h)
    }

    private func place(_ e: Int, hash h: UInt64) {
        var i = Int(truncatingIfNeeded: h >> Self.tagBits) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = UInt64(e + 1) << Self.tagBits | (h & Self.tagMask)
    }

    private static func size(for count: Int) -> Int {
        var size = 16
        while size * 7 < max(count, 1) * 10 { size <<= 1 }
        return size
    }

    /// Rebuilds the index at `size` slots from the entries.
    private func rehash(to size: Int) {
        slots = []
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for e in entries.indices {
            let entry = entries[e]
            let h = bytes.withUnsafeBufferPointer {
                hash(UnsafeBufferPointer(rebasing: $0[entry.start..<entry.start + entry.count]))
            }
            place(e, hash: h)
        }
    }
}
