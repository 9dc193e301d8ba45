/// An open-addressing hash table from 64-bit fingerprints (already well mixed) to a small record.
///
/// Ingest remembers every `subscription_id` it has seen to drop re-exported rows: millions of
/// entries, one lookup per row. A `Dictionary` seeds and runs SipHash on every lookup; the keys
/// here are FNV fingerprints, so a multiply-shift finishes the job. Key and value share a slot,
/// so a lookup touches one cache line; a zero key marks an empty slot.
struct FingerprintTable<Value> {
    private struct Slot {
        var key: UInt64
        var value: Value
    }

    private var slots: [Slot]
    private let filler: Value
    private var used = 0
    private var mask: Int

    init(capacity: Int = 1 << 12, filler: Value) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.filler = filler
        slots = [Slot](repeating: Slot(key: 0, value: filler), count: size)
        mask = size - 1
    }

    /// The value stored for `key`, or nil after storing `value` for it.
    mutating func existingOrInsert(_ key: UInt64, _ value: Value) -> Value? {
        if (used + 1) * 10 > slots.count * 7 { grow() }
        let k = key == 0 ? 1 : key
        return slots.withUnsafeMutableBufferPointer { s -> Value? in
            var i = Self.slot(k, mask)
            while s[i].key != 0 {
                if s[i].key == k { return s[i].value }
                i = (i + 1) & mask
            }
            s[i] = Slot(key: k, value: value)
            used += 1
            return nil
        }
    }

    private static func slot(_ k: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: (k &* 0x9E3779B97F4A7C15) >> 20) & mask }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: 0, value: filler), count: old.count * 2)
        mask = slots.count - 1
        for s in old where s.key != 0 {
            var i = Self.slot(s.key, mask)
            while slots[i].key != 0 { i = (i + 1) & mask }
            slots[i] = s
        }
    }
}
