/// XXH64 (xxHash, 64-bit, seed 0), streaming: the check a stage uses to confirm that an upstream
/// output it reads is the file that stage's manifest lists.
///
/// A writer records both the SHA-256 and the XXH64 of each output. The next stage computes only
/// the XXH64 of what it reads (several times faster than SHA-256) and, when it matches, records
/// the upstream's SHA-256 as its input's digest: the same bytes, confirmed by a check that catches
/// any accidental change (a wrong, stale, truncated or edited file) but costs a fraction of the
/// time. See docs/stages.md#manifest.
public struct XXH64 {
    static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    private var v1 = p1 &+ p2
    private var v2 = p2
    private var v3: UInt64 = 0
    private var v4 = 0 &- p1
    /// Bytes of an unfinished 32-byte stripe (up to 31).
    private var pending = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
    private var pendingCount = 0
    private var length: UInt64 = 0

    public init() {}

    @inline(__always) static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always) static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }

    @inline(__always) static func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 {
        (acc ^ round(0, v)) &* p1 &+ p4
    }

    @inline(__always) static func load64(_ p: UnsafeRawPointer) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
    }

    /// Consumes whole 32-byte stripes from `p`.
    @inline(__always) private mutating func stripes(_ p: UnsafeRawPointer, count: Int) {
        var a = v1
        var b = v2
        var c = v3
        var d = v4
        var i = 0
        while i + 32 <= count {
            a = Self.round(a, Self.load64(p + i))
            b = Self.round(b, Self.load64(p + i + 8))
            c = Self.round(c, Self.load64(p + i + 16))
            d = Self.round(d, Self.load64(p + i + 24))
            i += 32
        }
        v1 = a
        v2 = b
        v3 = c
        v4 = d
    }

    public mutating func update(_ data: UnsafeBufferPointer<UInt8>) {
        guard let base = data.baseAddress, data.count > 0 else { return }
        let raw = UnsafeRawPointer(base)
        length &+= UInt64(data.count)
        var i = 0
        if pendingCount > 0 {
            let take = min(32 - pendingCount, data.count)
            withUnsafeMutableBytes(of: &pending) {
                $0.baseAddress!.advanced(by: pendingCount).copyMemory(from: raw, byteCount: take)
            }
            pendingCount += take
            i = take
            guard pendingCount == 32 else { return }
            var stripe = pending
            withUnsafeBytes(of: &stripe) { stripes($0.baseAddress!, count: 32) }
            pendingCount = 0
        }
        let whole = (data.count - i) & ~31
        if whole > 0 {
            stripes(raw + i, count: whole)
            i += whole
        }
        if i < data.count {
            withUnsafeMutableBytes(of: &pending) {
                $0.baseAddress!.copyMemory(from: raw + i, byteCount: data.count - i)
            }
            pendingCount = data.count - i
        }
    }

    /// The hash of everything given so far.
    public func finalize() -> UInt64 {
        var h: UInt64
        if length >= 32 {
            h = Self.rotl(v1, 1) &+ Self.rotl(v2, 7) &+ Self.rotl(v3, 12) &+ Self.rotl(v4, 18)
            h = Self.merge(h, v1)
            h = Self.merge(h, v2)
            h = Self.merge(h, v3)
            h = Self.merge(h, v4)
        } else {
            h = Self.p5
        }
        h &+= length
        var tail = pending
        let n = pendingCount
        withUnsafeBytes(of: &tail) { t in
            let p = t.baseAddress!
            var i = 0
            while i + 8 <= n {
                h ^= Self.round(0, Self.load64(p + i))
                h = Self.rotl(h, 27) &* Self.p1 &+ Self.p4
                i += 8
            }
            if i + 4 <= n {
                h ^= UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self))) &* Self.p1
                h = Self.rotl(h, 23) &* Self.p2 &+ Self.p3
                i += 4
            }
            while i < n {
                h ^= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) &* Self.p5
                h = Self.rotl(h, 11) &* Self.p1
                i += 1
            }
        }
        h ^= h >> 33
        h &*= Self.p2
        h ^= h >> 29
        h &*= Self.p3
        h ^= h >> 32
        return h
    }

    /// The hash as 16 lowercase hex digits (the form manifests record).
    public func finalizeHex() -> String {
        let digits = String(finalize(), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    public static func hex<C: Collection>(of bytes: C) -> String where C.Element == UInt8 {
        var x = XXH64()
        Array(bytes).withUnsafeBufferPointer { x.update($0) }
        return x.finalizeHex()
    }

    /// The hash of a whole file, read in chunks.
    public static func hex(ofFile path: String) throws -> String {
        var x = XXH64()
        try ChunkedFileReader(path: path).forEachChunk { x.update($0) }
        return x.finalizeHex()
    }
}
