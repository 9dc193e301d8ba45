import CFileIO
import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open-addressing hash table from 64-bit fingerprints (already well mixed) to the line where
/// the key was first seen and a 32-bit check of that row's values.
///
/// Ingest remembers every `subscription_id` it has seen to drop re-exported rows: millions of
/// entries, one lookup per row, each a cache miss. So a slot is 16 bytes (key, line, check) and
/// one lookup touches one cache line; the keys are FNV fingerprints, so a multiply-shift finishes
/// the hashing; a zero key marks an empty slot. The slots live in anonymous memory the kernel
/// hands out zeroed (no fill pass) and, on Linux, in transparent huge pages: with a table of
/// hundreds of megabytes that saves most of the TLB misses and page faults. `reserve` sizes the
/// table once from an estimate, so a big file does not pay for a chain of doublings.
final class FingerprintTable {
    struct Slot {
        var key: UInt64
        var line: Int32
        var check: UInt32
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var mapped: Bool
    private var capacity: Int
    private var used = 0
    private var mask: Int

    init(capacity: Int = 1 << 12) {
        let size = Self.size(for: capacity)
        (slots, mapped) = Self.allocate(size)
        self.capacity = size
        mask = size - 1
    }

    deinit { Self.free(slots, capacity, mapped: mapped) }

    var count: Int { used }

    /// The first line and check stored for `key`, or nil after storing `line` and `check` for it.
    @inline(__always)
    func existingOrInsert(_ key: UInt64, line: Int32, check: UInt32) -> (line: Int32, check: UInt32)? {
        if (used + 1) * 10 > capacity * 7 { rehash(to: capacity * 2) }
        let k = key == 0 ? 1 : key
        var i = Self.slot(k, mask)
        while slots[i].key != 0 {
            if slots[i].key == k { return (slots[i].line, slots[i].check) }
            i = (i + 1) & mask
        }
        slots[i] = Slot(key: k, line: line, check: check)
        used += 1
        return nil
    }

    /// Asks the CPU for the cache line where `key`'s lookup starts (a hint: reads nothing).
    @inline(__always)
    func prefetch(_ key: UInt64) {
        cfileio_prefetch(slots + Self.slot(key == 0 ? 1 : key, mask))
    }

    /// Makes room for `count` keys in all, at the load factor the table keeps.
    func reserve(_ count: Int) {
        let size = Self.size(for: count)
        if size > capacity { rehash(to: size) }
    }

    private static func size(for count: Int) -> Int {
        var size = 16
        while size * 7 < max(count, 1) * 10 { size <<= 1 }
        return size
    }

    @inline(__always)
    private static func slot(_ k: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    private func rehash(to size: Int) {
        let old = slots
        let oldCapacity = capacity
        let oldMapped = mapped
        (slots, mapped) = Self.allocate(size)
        capacity = size
        mask = size - 1
        for j in 0..<oldCapacity where old[j].key != 0 {
            var i = Self.slot(old[j].key, mask)
            while slots[i].key != 0 { i = (i + 1) & mask }
            slots[i] = old[j]
        }
        Self.free(old, oldCapacity, mapped: oldMapped)
    }

    /// Zeroed slots: anonymous pages (huge pages where the kernel allows) for big tables.
    /// Background page population still running (waited for before any unmap).
    private static let populating = DispatchGroup()

    private static func allocate(_ count: Int) -> (UnsafeMutablePointer<Slot>, mapped: Bool) {
        let bytes = count * MemoryLayout<Slot>.stride
        #if os(Linux)
            if bytes >= 1 << 21, let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                p != MAP_FAILED
            {
                _ = madvise(p, bytes, 14)  // MADV_HUGEPAGE
                // The kernel zeroes every page on first touch; do that on another core while this
                // one fills the table (MADV_POPULATE_WRITE faults pages in without writing them, so
                // it is safe beside the inserts; where the kernel lacks it, pages fault as used).
                let address = Int(bitPattern: p)
                populating.enter()
                DispatchQueue.global(qos: .userInitiated).async {
                    // MADV_POPULATE_WRITE
                    _ = madvise(UnsafeMutableRawPointer(bitPattern: address), bytes, 23)
                    populating.leave()
                }
                return (p.bindMemory(to: Slot.self, capacity: count), true)
            }
        #endif
        let p = UnsafeMutablePointer<Slot>.allocate(capacity: count)
        p.initialize(repeating: Slot(key: 0, line: 0, check: 0), count: count)
        return (p, false)
    }

    private static func free(_ p: UnsafeMutablePointer<Slot>, _ count: Int, mapped: Bool) {
        #if os(Linux)
            if mapped {
                populating.wait()
                munmap(p, count * MemoryLayout<Slot>.stride)
                return
            }
        #endif
        p.deallocate()
    }
}
