/// A growable run of bytes in raw memory: the one buffer the byte writers build on. Each JSON
/// line's `JSONLineBuilder` and the sample generator's `GeneratorByteBuffer` are one;
/// `AtomicFileWriter` gathers its pending bytes in one and hands it whole to the hasher;
/// `CSVWriter` appends records to one.
///
/// Writers append millions of small pieces, so an append is a capacity check and a store: no
/// `Array` bounds or uniqueness checks. A class, so a buffer is never copied; the formatters are
/// its subclasses rather than holders of one, so their code stores through `base` at `count`
/// with no extra indirection (the members are `final`: no dynamic dispatch). Callers may
/// `reserve` room once and then store through `base` directly, advancing `count`.
public class ByteBuffer {
    @usableFromInline final var storage: UnsafeMutablePointer<UInt8>
    @usableFromInline final var allocated: Int
    /// Bytes written; a caller that stored through `base` after `reserve` advances it.
    public final var count = 0

    public init(capacity: Int = 256) {
        allocated = max(capacity, 16)
        storage = .allocate(capacity: allocated)
    }

    deinit { storage.deallocate() }

    /// The first byte; valid up to `capacity`, written up to `count`.
    @inlinable public final var base: UnsafeMutablePointer<UInt8> { storage }
    /// Bytes the memory at `base` holds.
    @inlinable public final var capacity: Int { allocated }

    /// The bytes written so far, valid until the buffer is next changed.
    @inlinable public final var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// A copy of the bytes written so far.
    public final var bytes: [UInt8] { Array(written) }

    /// Makes room for `n` more bytes.
    @inlinable public final func reserve(_ n: Int) { if count + n > capacity { grow(count + n) } }

    /// At least doubles the capacity (amortized O(1) appends), keeping the bytes written.
    @usableFromInline final func grow(_ need: Int) {
        (storage, allocated) = Self.grown(storage, count: count, capacity: allocated, need: need)
    }

    /// Moves the first `count` bytes of `memory` (`capacity` long) into memory at least twice as
    /// long and at least `need` long, which it returns with its length; `memory` is freed.
    static func grown(
        _ memory: UnsafeMutablePointer<UInt8>, count: Int, capacity: Int, need: Int
    ) -> (UnsafeMutablePointer<UInt8>, Int) {
        var newCapacity = capacity * 2
        while newCapacity < need { newCapacity *= 2 }
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        p.update(from: memory, count: count)
        memory.deallocate()
        return (p, newCapacity)
    }

    @inlinable public final func append(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inlinable public final func append(_ b: UnsafeBufferPointer<UInt8>) {
        guard let src = b.baseAddress, b.count > 0 else { return }
        reserve(b.count)
        (base + count).update(from: src, count: b.count)
        count += b.count
    }

    @inlinable public final func append<C: Collection>(contentsOf c: C) where C.Element == UInt8 {
        if c.withContiguousStorageIfAvailable({ append($0) }) != nil { return }
        reserve(c.count)
        for b in c {
            base[count] = b
            count += 1
        }
    }

    /// Appends `v` as `v.description` spells it (Swift's shortest form that reads back as the same
    /// value), without making a String: the standard library hands the digits it formats on the
    /// stack to `TextOutputStream._writeASCII`, where a String would be a heap allocation for
    /// every value longer than 15 characters.
    /// (`write(to:)` spells a NaN as `debugDescription` does, with its sign and payload: those
    /// take the String.)
    @inlinable public final func appendDescription(of v: Double) {
        guard !v.isNaN else {
            var d = v.description
            d.withUTF8 { append($0) }
            return
        }
        var sink = DescriptionSink(buffer: self)
        v.write(to: &sink)
    }

    /// Forgets the bytes written, keeping the memory.
    @inlinable public final func removeAll() { count = 0 }
}

/// Where `Double.write(to:)` puts its digits: straight into a `ByteBuffer`.
@usableFromInline struct DescriptionSink: TextOutputStream {
    @usableFromInline let buffer: ByteBuffer

    @inlinable init(buffer: ByteBuffer) { self.buffer = buffer }

    @inlinable mutating func write(_ string: String) {
        var s = string
        s.withUTF8 { buffer.append($0) }
    }

    @inlinable mutating func _writeASCII(_ ascii: UnsafeBufferPointer<UInt8>) { buffer.append(ascii) }
}
