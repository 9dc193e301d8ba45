import CSHA256

/// SHA-256 (FIPS 180-4), streaming. Manifests record the digest of every input and output file so
/// a report can prove which data it was computed from.
///
/// Blocks go through the CPU's SHA instructions when it has them (`CSHA256`, about four times
/// faster), otherwise through the Swift compression function below; both give the same digest.
public struct SHA256 {
    /// Whether this CPU's SHA instructions are used.
    public static let hardwareAccelerated = csha256_hardware_available() == 1

    private var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19)
    private var pending: [UInt8] = []
    private var length: UInt64 = 0
    private let hardware: Bool

    public init() { hardware = SHA256.hardwareAccelerated }

    /// Always the Swift compression function (tests compare it with the hardware path).
    init(softwareOnly: Bool) { hardware = SHA256.hardwareAccelerated && !softwareOnly }

    public mutating func update(_ data: UnsafeBufferPointer<UInt8>) {
        length &+= UInt64(data.count)
        var i = 0
        if !pending.isEmpty {
            let need = 64 - pending.count
            let take = min(need, data.count)
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: data[0..<take]))
            i = take
            if pending.count == 64 {
                pending.withUnsafeBufferPointer { compressBlocks($0.baseAddress!, count: 1) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        let blocks = (data.count - i) / 64
        if blocks > 0 {
            compressBlocks(data.baseAddress! + i, count: blocks)
            i += blocks * 64
        }
        if i < data.count { pending.append(contentsOf: UnsafeBufferPointer(rebasing: data[i..<data.count])) }
    }

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let a = Array(bytes)
        a.withUnsafeBufferPointer { update($0) }
    }

    /// The digest as 64 lowercase hex characters.
    public mutating func finalizeHex() -> String {
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        let padded = (pending.count + 1) % 64
        tail.append(contentsOf: repeatElement(0, count: padded <= 56 ? 56 - padded : 120 - padded))
        for s in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(s))) }
        let savedLength = length
        tail.withUnsafeBufferPointer { update($0) }
        length = savedLength
        let words = [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7]
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for w in words {
            for s in stride(from: 28, through: 0, by: -4) { out.append(hex[Int((w >> UInt32(s)) & 15)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func hex<C: Collection>(of bytes: C) -> String where C.Element == UInt8 {
        var s = SHA256()
        s.update(bytes)
        return s.finalizeHex()
    }

    /// Digest of a whole file, read in chunks.
    public static func hex(ofFile path: String) throws -> String {
        let r = try ChunkedFileReader(path: path, computeDigest: true)
        try r.forEachChunk { _ in }
        return r.digest?.finalizeHex() ?? ""
    }

    private mutating func compressBlocks(_ p: UnsafePointer<UInt8>, count: Int) {
        if hardware {
            withUnsafeMutablePointer(to: &h) {
                $0.withMemoryRebound(to: UInt32.self, capacity: 8) { csha256_compress_blocks($0, p, count) }
            }
        } else {
            for b in 0..<count { compress(p + 64 * b) }
        }
    }

    // Generated: the 64 rounds unrolled with the round constants inlined and the message
    // schedule kept in 16 rolling locals, so the optimizer keeps everything in registers.
    private mutating func compress(_ p: UnsafePointer<UInt8>) {
        @inline(__always) func load(_ i: Int) -> UInt32 {
            UInt32(p[4 * i]) << 24 | UInt32(p[4 * i + 1]) << 16 | UInt32(p[4 * i + 2]) << 8 | UInt32(p[4 * i + 3])
        }
        var w0 = load(0)
        var w1 = load(1)
        var w2 = load(2)
        var w3 = load(3)
        var w4 = load(4)
        var w5 = load(5)
        var w6 = load(6)
        var w7 = load(7)
        var w8 = load(8)
        var w9 = load(9)
        var w10 = load(10)
        var w11 = load(11)
        var w12 = load(12)
        var w13 = load(13)
        var w14 = load(14)
        var w15 = load(15)
        var (a, b, c, d, e, f, g, hh) = h
        @inline(__always) func round(
            _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32,
            _ h: inout UInt32, _ kw: UInt32
        ) {
            let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ kw
            let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
            d = d &+ t1
            h = t1 &+ t2
        }
        @inline(__always) func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        round(a, b, c, &d, e, f, g, &hh, 0x428a_2f98 &+ w0)
        round(hh, a, b, &c, d, e, f, &g, 0x7137_4491 &+ w1)
        round(g, hh, a, &b, c, d, e, &f, 0xb5c0_fbcf &+ w2)
        round(f, g, hh, &a, b, c, d, &e, 0xe9b5_dba5 &+ w3)
        round(e, f, g, &hh, a, b, c, &d, 0x3956_c25b &+ w4)
        round(d, e, f, &g, hh, a, b, &c, 0x59f1_11f1 &+ w5)
        round(c, d, e, &f, g, hh, a, &b, 0x923f_82a4 &+ w6)
        round(b, c, d, &e, f, g, hh, &a, 0xab1c_5ed5 &+ w7)
        round(a, b, c, &d, e, f, g, &hh, 0xd807_aa98 &+ w8)
        round(hh, a, b, &c, d, e, f, &g, 0x1283_5b01 &+ w9)
        round(g, hh, a, &b, c, d, e, &f, 0x2431_85be &+ w10)
        round(f, g, hh, &a, b, c, d, &e, 0x550c_7dc3 &+ w11)
        round(e, f, g, &hh, a, b, c, &d, 0x72be_5d74 &+ w12)
        round(d, e, f, &g, hh, a, b, &c, 0x80de_b1fe &+ w13)
        round(c, d, e, &f, g, hh, a, &b, 0x9bdc_06a7 &+ w14)
        round(b, c, d, &e, f, g, hh, &a, 0xc19b_f174 &+ w15)
        w0 = w0 &+ (rotr(w1, 7) ^ rotr(w1, 18) ^ (w1 >> 3)) &+ w9 &+ (rotr(w14, 17) ^ rotr(w14, 19) ^ (w14 >> 10))
        round(a, b, c, &d, e, f, g, &hh, 0xe49b_69c1 &+ w0)
        w1 = w1 &+ (rotr(w2, 7) ^ rotr(w2, 18) ^ (w2 >> 3)) &+ w10 &+ (rotr(w15, 17) ^ rotr(w15, 19) ^ (w15 >> 10))
        round(hh, a, b, &c, d, e, f, &g, 0xefbe_4786 &+ w1)
        w2 = w2 &+ (rotr(w3, 7) ^ rotr(w3, 18) ^ (w3 >> 3)) &+ w11 &+ (rotr(w0, 17) ^ rotr(w0, 19) ^ (w0 >> 10))
        round(g, hh, a, &b, c, d, e, &f, 0x0fc1_9dc6 &+ w2)
        w3 = w3 &+ (rotr(w4, 7) ^ rotr(w4, 18) ^ (w4 >> 3)) &+ w12 &+ (rotr(w1, 17) ^ rotr(w1, 19) ^ (w1 >> 10))
        round(f, g, hh, &a, b, c, d, &e, 0x240c_a1cc &+ w3)
        w4 = w4 &+ (rotr(w5, 7) ^ rotr(w5, 18) ^ (w5 >> 3)) &+ w13 &+ (rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10))
        round(e, f, g, &hh, a, b, c, &d, 0x2de9_2c6f &+ w4)
        w5 = w5 &+ (rotr(w6, 7) ^ rotr(w6, 18) ^ (w6 >> 3)) &+ w14 &+ (rotr(w3, 17) ^ rotr(w3, 19) ^ (w3 >> 10))
        round(d, e, f, &g, hh, a, b, &c, 0x4a74_84aa &+ w5)
        w6 = w6 &+ (rotr(w7, 7) ^ rotr(w7, 18) ^ (w7 >> 3)) &+ w15 &+ (rotr(w4, 17) ^ rotr(w4, 19) ^ (w4 >> 10))
        round(c, d, e, &f, g, hh, a, &b, 0x5cb0_a9dc &+ w6)
        w7 = w7 &+ (rotr(w8, 7) ^ rotr(w8, 18) ^ (w8 >> 3)) &+ w0 &+ (rotr(w5, 17) ^ rotr(w5, 19) ^ (w5 >> 10))
        round(b, c, d, &e, f, g, hh, &a, 0x76f9_88da &+ w7)
        w8 = w8 &+ (rotr(w9, 7) ^ rotr(w9, 18) ^ (w9 >> 3)) &+ w1 &+ (rotr(w6, 17) ^ rotr(w6, 19) ^ (w6 >> 10))
        round(a, b, c, &d, e, f, g, &hh, 0x983e_5152 &+ w8)
        w9 = w9 &+ (rotr(w10, 7) ^ rotr(w10, 18) ^ (w10 >> 3)) &+ w2 &+ (rotr(w7, 17) ^ rotr(w7, 19) ^ (w7 >> 10))
        round(hh, a, b, &c, d, e, f, &g, 0xa831_c66d &+ w9)
        w10 = w10 &+ (rotr(w11, 7) ^ rotr(w11, 18) ^ (w11 >> 3)) &+ w3 &+ (rotr(w8, 17) ^ rotr(w8, 19) ^ (w8 >> 10))
        round(g, hh, a, &b, c, d, e, &f, 0xb003_27c8 &+ w10)
        w11 = w11 &+ (rotr(w12, 7) ^ rotr(w12, 18) ^ (w12 >> 3)) &+ w4 &+ (rotr(w9, 17) ^ rotr(w9, 19) ^ (w9 >> 10))
        round(f, g, hh, &a, b, c, d, &e, 0xbf59_7fc7 &+ w11)
        w12 = w12 &+ (rotr(w13, 7) ^ rotr(w13, 18) ^ (w13 >> 3)) &+ w5 &+ (rotr(w10, 17) ^ rotr(w10, 19) ^ (w10 >> 10))
        round(e, f, g, &hh, a, b, c, &d, 0xc6e0_0bf3 &+ w12)
        w13 = w13 &+ (rotr(w14, 7) ^ rotr(w14, 18) ^ (w14 >> 3)) &+ w6 &+ (rotr(w11, 17) ^ rotr(w11, 19) ^ (w11 >> 10))
        round(d, e, f, &g, hh, a, b, &c, 0xd5a7_9147 &+ w13)
        w14 = w14 &+ (rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3)) &+ w7 &+ (rotr(w12, 17) ^ rotr(w12, 19) ^ (w12 >> 10))
        round(c, d, e, &f, g, hh, a, &b, 0x06ca_6351 &+ w14)
        w15 = w15 &+ (rotr(w0, 7) ^ rotr(w0, 18) ^ (w0 >> 3)) &+ w8 &+ (rotr(w13, 17) ^ rotr(w13, 19) ^ (w13 >> 10))
        round(b, c, d, &e, f, g, hh, &a, 0x1429_2967 &+ w15)
        w0 = w0 &+ (rotr(w1, 7) ^ rotr(w1, 18) ^ (w1 >> 3)) &+ w9 &+ (rotr(w14, 17) ^ rotr(w14, 19) ^ (w14 >> 10))
        round(a, b, c, &d, e, f, g, &hh, 0x27b7_0a85 &+ w0)
        w1 = w1 &+ (rotr(w2, 7) ^ rotr(w2, 18) ^ (w2 >> 3)) &+ w10 &+ (rotr(w15, 17) ^ rotr(w15, 19) ^ (w15 >> 10))
        round(hh, a, b, &c, d, e, f, &g, 0x2e1b_2138 &+ w1)
        w2 = w2 &+ (rotr(w3, 7) ^ rotr(w3, 18) ^ (w3 >> 3)) &+ w11 &+ (rotr(w0, 17) ^ rotr(w0, 19) ^ (w0 >> 10))
        round(g, hh, a, &b, c, d, e, &f, 0x4d2c_6dfc &+ w2)
        w3 = w3 &+ (rotr(w4, 7) ^ rotr(w4, 18) ^ (w4 >> 3)) &+ w12 &+ (rotr(w1, 17) ^ rotr(w1, 19) ^ (w1 >> 10))
        round(f, g, hh, &a, b, c, d, &e, 0x5338_0d13 &+ w3)
        w4 = w4 &+ (rotr(w5, 7) ^ rotr(w5, 18) ^ (w5 >> 3)) &+ w13 &+ (rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10))
        round(e, f, g, &hh, a, b, c, &d, 0x650a_7354 &+ w4)
        w5 = w5 &+ (rotr(w6, 7) ^ rotr(w6, 18) ^ (w6 >> 3)) &+ w14 &+ (rotr(w3, 17) ^ rotr(w3, 19) ^ (w3 >> 10))
        round(d, e, f, &g, hh, a, b, &c, 0x766a_0abb &+ w5)
        w6 = w6 &+ (rotr(w7, 7) ^ rotr(w7, 18) ^ (w7 >> 3)) &+ w15 &+ (rotr(w4, 17) ^ rotr(w4, 19) ^ (w4 >> 10))
        round(c, d, e, &f, g, hh, a, &b, 0x81c2_c92e &+ w6)
        w7 = w7 &+ (rotr(w8, 7) ^ rotr(w8, 18) ^ (w8 >> 3)) &+ w0 &+ (rotr(w5, 17) ^ rotr(w5, 19) ^ (w5 >> 10))
        round(b, c, d, &e, f, g, hh, &a, 0x9272_2c85 &+ w7)
        w8 = w8 &+ (rotr(w9, 7) ^ rotr(w9, 18) ^ (w9 >> 3)) &+ w1 &+ (rotr(w6, 17) ^ rotr(w6, 19) ^ (w6 >> 10))
        round(a, b, c, &d, e, f, g, &hh, 0xa2bf_e8a1 &+ w8)
        w9 = w9 &+ (rotr(w10, 7) ^ rotr(w10, 18) ^ (w10 >> 3)) &+ w2 &+ (rotr(w7, 17) ^ rotr(w7, 19) ^ (w7 >> 10))
        round(hh, a, b, &c, d, e, f, &g, 0xa81a_664b &+ w9)
        w10 = w10 &+ (rotr(w11, 7) ^ rotr(w11, 18) ^ (w11 >> 3)) &+ w3 &+ (rotr(w8, 17) ^ rotr(w8, 19) ^ (w8 >> 10))
        round(g, hh, a, &b, c, d, e, &f, 0xc24b_8b70 &+ w10)
        w11 = w11 &+ (rotr(w12, 7) ^ rotr(w12, 18) ^ (w12 >> 3)) &+ w4 &+ (rotr(w9, 17) ^ rotr(w9, 19) ^ (w9 >> 10))
        round(f, g, hh, &a, b, c, d, &e, 0xc76c_51a3 &+ w11)
        w12 = w12 &+ (rotr(w13, 7) ^ rotr(w13, 18) ^ (w13 >> 3)) &+ w5 &+ (rotr(w10, 17) ^ rotr(w10, 19) ^ (w10 >> 10))
        round(e, f, g, &hh, a, b, c, &d, 0xd192_e819 &+ w12)
        w13 = w13 &+ (rotr(w14, 7) ^ rotr(w14, 18) ^ (w14 >> 3)) &+ w6 &+ (rotr(w11, 17) ^ rotr(w11, 19) ^ (w11 >> 10))
        round(d, e, f, &g, hh, a, b, &c, 0xd699_0624 &+ w13)
        w14 = w14 &+ (rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3)) &+ w7 &+ (rotr(w12, 17) ^ rotr(w12, 19) ^ (w12 >> 10))
        round(c, d, e, &f, g, hh, a, &b, 0xf40e_3585 &+ w14)
        w15 = w15 &+ (rotr(w0, 7) ^ rotr(w0, 18) ^ (w0 >> 3)) &+ w8 &+ (rotr(w13, 17) ^ rotr(w13, 19) ^ (w13 >> 10))
        round(b, c, d, &e, f, g, hh, &a, 0x106a_a070 &+ w15)
        w0 = w0 &+ (rotr(w1, 7) ^ rotr(w1, 18) ^ (w1 >> 3)) &+ w9 &+ (rotr(w14, 17) ^ rotr(w14, 19) ^ (w14 >> 10))
        round(a, b, c, &d, e, f, g, &hh, 0x19a4_c116 &+ w0)
        w1 = w1 &+ (rotr(w2, 7) ^ rotr(w2, 18) ^ (w2 >> 3)) &+ w10 &+ (rotr(w15, 17) ^ rotr(w15, 19) ^ (w15 >> 10))
        round(hh, a, b, &c, d, e, f, &g, 0x1e37_6c08 &+ w1)
        w2 = w2 &+ (rotr(w3, 7) ^ rotr(w3, 18) ^ (w3 >> 3)) &+ w11 &+ (rotr(w0, 17) ^ rotr(w0, 19) ^ (w0 >> 10))
        round(g, hh, a, &b, c, d, e, &f, 0x2748_774c &+ w2)
        w3 = w3 &+ (rotr(w4, 7) ^ rotr(w4, 18) ^ (w4 >> 3)) &+ w12 &+ (rotr(w1, 17) ^ rotr(w1, 19) ^ (w1 >> 10))
        round(f, g, hh, &a, b, c, d, &e, 0x34b0_bcb5 &+ w3)
        w4 = w4 &+ (rotr(w5, 7) ^ rotr(w5, 18) ^ (w5 >> 3)) &+ w13 &+ (rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10))
        round(e, f, g, &hh, a, b, c, &d, 0x391c_0cb3 &+ w4)
        w5 = w5 &+ (rotr(w6, 7) ^ rotr(w6, 18) ^ (w6 >> 3)) &+ w14 &+ (rotr(w3, 17) ^ rotr(w3, 19) ^ (w3 >> 10))
        round(d, e, f, &g, hh, a, b, &c, 0x4ed8_aa4a &+ w5)
        w6 = w6 &+ (rotr(w7, 7) ^ rotr(w7, 18) ^ (w7 >> 3)) &+ w15 &+ (rotr(w4, 17) ^ rotr(w4, 19) ^ (w4 >> 10))
        round(c, d, e, &f, g, hh, a, &b, 0x5b9c_ca4f &+ w6)
        w7 = w7 &+ (rotr(w8, 7) ^ rotr(w8, 18) ^ (w8 >> 3)) &+ w0 &+ (rotr(w5, 17) ^ rotr(w5, 19) ^ (w5 >> 10))
        round(b, c, d, &e, f, g, hh, &a, 0x682e_6ff3 &+ w7)
        w8 = w8 &+ (rotr(w9, 7) ^ rotr(w9, 18) ^ (w9 >> 3)) &+ w1 &+ (rotr(w6, 17) ^ rotr(w6, 19) ^ (w6 >> 10))
        round(a, b, c, &d, e, f, g, &hh, 0x748f_82ee &+ w8)
        w9 = w9 &+ (rotr(w10, 7) ^ rotr(w10, 18) ^ (w10 >> 3)) &+ w2 &+ (rotr(w7, 17) ^ rotr(w7, 19) ^ (w7 >> 10))
        round(hh, a, b, &c, d, e, f, &g, 0x78a5_636f &+ w9)
        w10 = w10 &+ (rotr(w11, 7) ^ rotr(w11, 18) ^ (w11 >> 3)) &+ w3 &+ (rotr(w8, 17) ^ rotr(w8, 19) ^ (w8 >> 10))
        round(g, hh, a, &b, c, d, e, &f, 0x84c8_7814 &+ w10)
        w11 = w11 &+ (rotr(w12, 7) ^ rotr(w12, 18) ^ (w12 >> 3)) &+ w4 &+ (rotr(w9, 17) ^ rotr(w9, 19) ^ (w9 >> 10))
        round(f, g, hh, &a, b, c, d, &e, 0x8cc7_0208 &+ w11)
        w12 = w12 &+ (rotr(w13, 7) ^ rotr(w13, 18) ^ (w13 >> 3)) &+ w5 &+ (rotr(w10, 17) ^ rotr(w10, 19) ^ (w10 >> 10))
        round(e, f, g, &hh, a, b, c, &d, 0x90be_fffa &+ w12)
        w13 = w13 &+ (rotr(w14, 7) ^ rotr(w14, 18) ^ (w14 >> 3)) &+ w6 &+ (rotr(w11, 17) ^ rotr(w11, 19) ^ (w11 >> 10))
        round(d, e, f, &g, hh, a, b, &c, 0xa450_6ceb &+ w13)
        w14 = w14 &+ (rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3)) &+ w7 &+ (rotr(w12, 17) ^ rotr(w12, 19) ^ (w12 >> 10))
        round(c, d, e, &f, g, hh, a, &b, 0xbef9_a3f7 &+ w14)
        w15 = w15 &+ (rotr(w0, 7) ^ rotr(w0, 18) ^ (w0 >> 3)) &+ w8 &+ (rotr(w13, 17) ^ rotr(w13, 19) ^ (w13 >> 10))
        round(b, c, d, &e, f, g, hh, &a, 0xc671_78f2 &+ w15)
        h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
    }
}
