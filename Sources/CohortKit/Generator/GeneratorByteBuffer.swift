import Foundation

/// A `ByteBuffer` with hand-written formatting of integers, money and dates.
///
/// The generator writes about a gigabyte for a million customers, so every field goes straight
/// into raw memory: no `String` per row, no Foundation formatter per field. Callers `reserve`
/// room for a row once and then append without bounds checks.
final class GeneratorByteBuffer: ByteBuffer {
    override init(capacity: Int = 1 << 20) {
        super.init(capacity: max(capacity, 256))
    }

    @inline(__always)
    func byte(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    /// Appends pre-encoded bytes (names, codes, pre-quoted CSV fields).
    @inline(__always)
    func bytes(_ b: [UInt8]) { append(contentsOf: b) }

    /// Appends a non-negative integer in decimal, left-padded with zeros to at least `width` digits.
    @inline(__always)
    func int(_ value: Int, width: Int = 1) {
        var v = value
        if v < 0 {
            byte(UInt8(ascii: "-"))
            v = -v
        }
        var digits = 1
        var probe = v
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let n = max(digits, width)
        var i = count + n - 1
        for _ in 0..<n {
            base[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
            v /= 10
            i -= 1
        }
        count += n
    }

    /// Appends an amount given in minor units with `decimals` fraction digits (4900, 2 -> "49.00").
    @inline(__always)
    func money(_ minor: Int, decimals: Int) {
        if decimals == 0 {
            int(minor)
            return
        }
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        if minor < 0 { byte(UInt8(ascii: "-")) }
        let magnitude = abs(minor)
        int(magnitude / scale)
        byte(UInt8(ascii: "."))
        int(magnitude % scale, width: decimals)
    }

    /// Appends the ISO date `yyyy-MM-dd` of `days` since 1970-01-01.
    @inline(__always)
    func date(_ days: Int) {
        let c = GeneratorCalendar.civil(days)
        int(c.year, width: 4)
        byte(UInt8(ascii: "-"))
        int(c.month, width: 2)
        byte(UInt8(ascii: "-"))
        int(c.day, width: 2)
    }

    /// Writes the contents to `file` and empties the buffer.
    func flush(to file: UnsafeMutablePointer<FILE>, path: String) throws {
        if count > 0 {
            let written = fwrite(base, 1, count, file)
            if written != count {
                throw SampleGenerator.WriteError(path: path, reason: String(cString: strerror(errno)))
            }
        }
        count = 0
    }
}

extension Array where Element == UInt8 {
    /// The bytes of `text` quoted for CSV when it holds a comma, quote or line break (RFC 4180).
    static func csvField(_ text: String) -> [UInt8] {
        let raw = Array(text.utf8)
        let special: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r")]
        if !raw.contains(where: { special.contains($0) }) { return raw }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for b in raw {
            out.append(b)
            if b == UInt8(ascii: "\"") { out.append(b) }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
