/// Numbers items in order of first appearance, with an open-addressing table of their hashes:
/// the caller hashes each item and says, by number, whether an earlier item with the same hash
/// is the same item. Covariate patterns are numbered this way (`CoxDesign.patterns`, the Cox
/// fit's `PatternTable`), and byte strings (`ByteInterner`, which holds the strings).
///
/// Hash with the standard library's `Hasher`: it is seeded per process, so items crafted to
/// collide cannot be prepared in advance. The seed changes the table's layout, never the
/// numbers (they follow first appearance).
struct FirstAppearanceTable {
    /// 0 = empty, else an item's number + 1; empty while the slots are dropped.
    private var slots: [Int32] = []
    private var mask = -1
    /// Each numbered item's hash, by number (so the table grows without hashing items again).
    private var hashes: [Int] = []

    /// A table with room for `capacity` distinct items (it grows past them).
    init(capacity: Int = 0) { reserve(capacity) }

    /// Items numbered so far.
    var count: Int { hashes.count }

    /// The hash item `k` was numbered with.
    func hash(of k: Int) -> Int { hashes[k] }

    /// The number of the item hashing to `hash`: that of the earlier item `same` accepts (asked
    /// only about earlier items with an equal hash, by their numbers), else the next number.
    @inline(__always)
    mutating func number(hash: Int, same: (Int) -> Bool) -> (number: Int32, isNew: Bool) {
        if 2 * (count + 1) > slots.count { reserve(count + 1) }
        var slot = hash & mask
        while true {
            let k = Int(slots[slot]) - 1
            if k < 0 {
                hashes.append(hash)
                slots[slot] = Int32(count)
                return (Int32(count - 1), true)
            }
            if hashes[k] == hash, same(k) { return (Int32(k), false) }
            slot = (slot + 1) & mask
        }
    }

    /// The number of the earlier item hashing to `hash` that `same` accepts, or nil.
    @inline(__always)
    func find(hash: Int, same: (Int) -> Bool) -> Int32? {
        guard mask >= 0 else { return nil }
        var slot = hash & mask
        while true {
            let k = Int(slots[slot]) - 1
            if k < 0 { return nil }
            if hashes[k] == hash, same(k) { return Int32(k) }
            slot = (slot + 1) & mask
        }
    }

    /// Frees the slots (the numbers and hashes stay); the next `number` builds them again, and
    /// `find` finds nothing until then.
    mutating func dropSlots() {
        slots = []
        mask = -1
    }

    /// Makes room for `items` items in all, so numbering up to them never rebuilds the slots.
    mutating func reserve(_ items: Int) {
        var size = max(16, slots.count)
        while 2 * (max(items, count) + 1) > size { size <<= 1 }
        guard size != slots.count else { return }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for k in hashes.indices {
            var s = hashes[k] & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = Int32(k + 1)
        }
    }
}
