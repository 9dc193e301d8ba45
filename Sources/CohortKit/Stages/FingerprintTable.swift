/// An open-addressing hash table from 64-bit fingerprints (already well mixed) to a small record.
///
/// Ingest remembers every `subscription_id` it has seen to drop re-exported rows: millions of
/// entries, one lookup per row. A `Dictionary` seeds and runs SipHash on every lookup; the keys
/// here are FNV fingerprints, so a multiply-shift finishes the job. A zero key marks an empty
/// slot, so values need no optional wrapper (16 bytes a slot for a `(Int32, UInt64)` record).
struct FingerprintTable<Value> {
    private var keys: [UInt64]
    private var values: [Value]
    private let filler: Value
    private var used = 0
    private var mask: Int

    init(capacity: Int = 1 << 12, filler: Value) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.filler = filler
        keys = [UInt64](repeating: 0, count: size)
        values = [Value](repeating: filler, count: size)
        mask = size - 1
    }

    /// The value stored for `key`, or nil after storing `value` for it.
    mutating func existingOrInsert(_ key: UInt64, _ value: Value) -> Value? {
        if (used + 1) * 10 > keys.count * 7 { grow() }
        let k = key == 0 ? 1 : key   // 0 marks an empty slot
        var i = slot(k)
        while keys[i] != 0 {
            if keys[i] == k { return values[i] }
            i = (i + 1) & mask
        }
        keys[i] = k
        values[i] = value
        used += 1
        return nil
    }

    private func slot(_ k: UInt64) -> Int { Int(truncatingIfNeeded: (k &* 0x9E3779B97F4A7C15) >> 20) & mask }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Value](repeating: filler, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (j, k) in oldKeys.enumerated() where k != 0 {
            var i = slot(k)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = k
            values[i] = oldValues[j]
        }
    }
}
