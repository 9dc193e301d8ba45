/// Numbers items in order of first appearance, with an open-addressing table of their hashes:
/// the caller hashes each item and says, by number, whether an earlier item with the same hash
/// is the same item. Covariate patterns are numbered this way (`CoxDesign.patterns`, the Cox
/// fit's `PatternTable`).
///
/// Hash with the standard library's `Hasher`: it is seeded per process, so items crafted to
/// collide cannot be prepared in advance. The seed changes the table's layout, never the
/// numbers (they follow first appearance).
struct FirstAppearanceTable {
    /// 0 = empty, else an item's number + 1.
    private var slots: [Int32]
    private var mask: Int
    /// Each numbered item's hash, by number (so the table grows without hashing items again).
    private var hashes: [Int] = []

    /// A table sized for `capacity` distinct items (it grows past them).
    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Items numbered so far.
    var count: Int { hashes.count }

    /// The number of the item hashing to `hash`: that of the earlier item `same` accepts (asked
    /// only about earlier items with an equal hash, by their numbers), else the next number.
    @inline(__always)
    mutating func number(hash: Int, same: (Int) -> Bool) -> (number: Int32, isNew: Bool) {
        if 2 * (count + 1) > slots.count { grow() }
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

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for k in hashes.indices {
            var s = hashes[k] & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = Int32(k + 1)
        }
    }
}
