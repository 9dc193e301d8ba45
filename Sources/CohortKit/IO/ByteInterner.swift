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
    /// The strings' numbers by their hashes.
    private var index = FirstAppearanceTable()

    /// Distinct strings held.
    var count: Int { ends.count }

    /// The number of the string with bytes `b`, added when new.
    mutating func id(_ b: UnsafeBufferPointer<UInt8>) -> Int32 { id(b, hash: Self.hash(b)) }

    /// `id(b)` for bytes whose hash is known to be `h`.
    private mutating func id(_ b: UnsafeBufferPointer<UInt8>, hash h: Int) -> Int32 {
        let (k, isNew) = number(b, hash: h)
        if isNew {
            bytes.append(contentsOf: b)
            ends.append(bytes.count)
        }
        return k
    }

    /// The index's answer for `b`; the strings are held by the comparison only while it runs,
    /// so adding `b` after it copies nothing.
    private mutating func number(_ b: UnsafeBufferPointer<UInt8>, hash h: Int) -> (number: Int32, isNew: Bool) {
        let (held, heldEnds) = (bytes, ends)
        return index.number(hash: h) { Self.equal(held, heldEnds, $0, b) }
    }

    /// Adds the strings of `other` in its order, as `id` would one after another, and returns
    /// each one's number here. Each goes by the hash `other` keeps (the seed is the process's, so
    /// it is the one `id` would compute): merging tables read side by side hashes no string again.
    mutating func merge(_ other: ByteInterner) -> [Int32] {
        bytes.reserveCapacity(bytes.count + other.bytes.count)
        // The index sized once for every string either table holds (`id` would double it
        // several times on the way).
        index.reserve(count + other.count)
        var numbers: [Int32] = []
        numbers.reserveCapacity(other.count)
        other.bytes.withUnsafeBufferPointer { all in
            for k in 0..<other.count {
                let start = k == 0 ? 0 : other.ends[k - 1]
                numbers.append(
                    id(UnsafeBufferPointer(rebasing: all[start..<other.ends[k]]), hash: other.index.hash(of: k)))
            }
        }
        return numbers
    }

    /// The number of the string with bytes `b`, nil when it has not been added.
    func lookup(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        index.find(hash: Self.hash(b)) { Self.equal(bytes, ends, $0, b) }
    }

    /// Whether string `k` has the bytes `b`.
    func string(_ k: Int32, is b: UnsafeBufferPointer<UInt8>) -> Bool { Self.equal(bytes, ends, Int(k), b) }

    /// Frees the index once no more strings will be added; the strings stay readable (a later
    /// `id` builds the index again).
    mutating func dropIndex() { index.dropSlots() }

    /// The bytes of string `k`.
    subscript(k: Int32) -> ArraySlice<UInt8> {
        bytes[(k == 0 ? 0 : ends[Int(k) - 1])..<ends[Int(k)]]
    }

    @inline(__always)
    private static func equal(_ bytes: [UInt8], _ ends: [Int], _ k: Int, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = k == 0 ? 0 : ends[k - 1]
        guard ends[k] - start == b.count else { return false }
        return bytes.withUnsafeBufferPointer { UTF8Order.equal(UnsafeBufferPointer(rebasing: $0[start..<ends[k]]), b) }
    }

    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var h = Hasher()
        h.combine(bytes: UnsafeRawBufferPointer(b))
        return h.finalize()
    }
}
