/// Distinct byte strings numbered in order of first appearance, matched byte for byte, each held
/// once. normalize keeps customers' `attributes` objects this way: a million customers share a
/// few thousand distinct objects, so the stage holds a number per customer instead of a copy.
///
/// The index hashes with the standard library's `Hasher`, seeded per process, so keys crafted to
/// collide cannot be prepared in advance; nothing iterates the index, so the seed cannot reach an
/// output (numbers follow first appearance).
struct ByteInterner {
    /// The distinct strings, one after another.
    private(set) var bytes: [UInt8] = []
    /// Where each distinct string ends in `bytes`.
    private var ends: [Int] = []
    /// Each distinct string's hash, so the index grows without hashing the strings again.
    private var hashes: [Int] = []
    /// 0 = empty, else the string's number + 1.
    private var slots: [Int32] = []
    private var mask = -1

    /// Distinct strings held.
    var count: Int { ends.count }

    /// The number of the string with bytes `b`, added when new.
    mutating func id(_ b: UnsafeBufferPointer<UInt8>) -> Int32 { id(b, hash: Self.hash(b)) }

    /// `id(b)` for bytes whose hash is known to be `h`.
    private mutating func id(_ b: UnsafeBufferPointer<UInt8>, hash h: Int) -> Int32 {
        if 2 * (count + 1) > slots.count { rehash(to: max(64, slots.count * 2)) }
        let (found, s) = probe(b, hash: h)
        if let found { return found }
        bytes.append(contentsOf: b)
        ends.append(bytes.count)
        hashes.append(h)
        slots[s] = Int32(count)
        return Int32(count - 1)
    }

    /// Adds the strings of `other` in its order, as `id` would one after another, and returns
    /// each one's number here. Each goes by the hash `other` keeps (the seed is the process's, so
    /// it is the one `id` would compute): merging tables read side by side hashes no string again.
    mutating func merge(_ other: ByteInterner) -> [Int32] {
        bytes.reserveCapacity(bytes.count + other.bytes.count)
        // The index sized once for every string either table holds (`id` would double it
        // several times on the way).
        let total = count + other.count
        if 2 * (total + 1) > slots.count {
            var size = max(64, slots.count)
            while 2 * (total + 1) > size { size *= 2 }
            rehash(to: size)
        }
        var numbers: [Int32] = []
        numbers.reserveCapacity(other.count)
        other.bytes.withUnsafeBufferPointer { all in
            for k in 0..<other.count {
                let start = k == 0 ? 0 : other.ends[k - 1]
                numbers.append(id(UnsafeBufferPointer(rebasing: all[start..<other.ends[k]]), hash: other.hashes[k]))
            }
        }
        return numbers
    }

    /// The number of the string with bytes `b`, nil when it has not been added.
    func lookup(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard mask >= 0 else { return nil }
        return probe(b, hash: Self.hash(b)).found
    }

    /// The number of the string with bytes `b` (hashing to `h`), or the empty slot where it
    /// would go.
    private func probe(_ b: UnsafeBufferPointer<UInt8>, hash h: Int) -> (found: Int32?, slot: Int) {
        var s = h & mask
        while slots[s] != 0 {
            let k = Int(slots[s] - 1)
            if equal(k, b) { return (Int32(k), s) }
            s = (s + 1) & mask
        }
        return (nil, s)
    }

    /// Whether string `k` has the bytes `b`.
    func string(_ k: Int32, is b: UnsafeBufferPointer<UInt8>) -> Bool { equal(Int(k), b) }

    /// Frees the index once no more strings will be added; the strings stay readable (a later
    /// `id` builds the index again).
    mutating func dropIndex() {
        slots = []
        mask = -1
    }

    /// The bytes of string `k`.
    subscript(k: Int32) -> ArraySlice<UInt8> {
        bytes[(k == 0 ? 0 : ends[Int(k) - 1])..<ends[Int(k)]]
    }

    private func equal(_ k: Int, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = k == 0 ? 0 : ends[k - 1]
        guard ends[k] - start == b.count else { return false }
        return bytes.withUnsafeBufferPointer { UTF8Order.equal(UnsafeBufferPointer(rebasing: $0[start..<ends[k]]), b) }
    }

    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var h = Hasher()
        h.combine(bytes: UnsafeRawBufferPointer(b))
        return h.finalize()
    }

    private mutating func rehash(to size: Int) {
        var size = size
        while 2 * (count + 1) > size { size *= 2 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for k in 0..<count {
            var s = hashes[k] & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = Int32(k + 1)
        }
    }
}
