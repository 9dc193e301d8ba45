#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-level text checks used by the CSV reader: UTF-8 validation and Shift_JIS sniffing.
public enum TextDecoding {
    /// Whether `sample` (the first bytes of a file) looks like Shift_JIS rather than UTF-8.
    ///
    /// True when the sample is not valid UTF-8, every non-ASCII byte fits CP932's structure
    /// (lead 0x81–0x9F/0xE0–0xFC then trail 0x40–0x7E/0x80–0xFC, or half-width katakana
    /// 0xA1–0xDF) and at least one double-byte character occurs. A sequence cut off by the end of
    /// the sample is ignored, so a fixed-size prefix of a file can be passed.
    /// Example: `"顧客ID".encode("cp932")` → true; the same text in UTF-8 → false.
    public static func looksLikeShiftJIS(_ sample: [UInt8]) -> Bool {
        let valid = sample.withUnsafeBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            return isValidUTF8(base, count: buffer.count - truncatedUTF8Tail(buffer))
        }
        if valid { return false }
        var i = 0
        var doubleByte = 0
        let n = sample.count
        while i < n {
            let b = sample[i]
            switch b {
            case 0x00...0x7F, 0xA1...0xDF:
                i += 1
            case 0x81...0x9F, 0xE0...0xFC:
                if i + 1 == n { return doubleByte > 0 }
                let t = sample[i + 1]
                guard (0x40...0x7E).contains(t) || (0x80...0xFC).contains(t) else { return false }
                doubleByte += 1
                i += 2
            default:
                return false
            }
        }
        return doubleByte > 0
    }

    /// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
    public static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        return isValidUTF8(base, count: bytes.count)
    }

    /// Whether `count` bytes at `p` are well-formed UTF-8; eight ASCII bytes at a time where it can.
    ///
    /// - Complexity: O(count).
    @inlinable
    static func isValidUTF8(_ p: UnsafePointer<UInt8>, count n: Int) -> Bool {
        var i = 0
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            let b = p[i]
            if b < 0x80 {
                i += 1
                continue
            }
            func isContinuation(_ k: Int) -> Bool { p[k] & 0xC0 == 0x80 }
            switch b {
            case 0xC2...0xDF:
                guard i + 1 < n, isContinuation(i + 1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard i + 2 < n, isContinuation(i + 1), isContinuation(i + 2) else { return false }
                let b1 = p[i + 1]
                if b == 0xE0 && b1 < 0xA0 { return false }  // overlong
                if b == 0xED && b1 > 0x9F { return false }  // UTF-16 surrogate
                i += 3
            case 0xF0...0xF4:
                guard i + 3 < n, isContinuation(i + 1), isContinuation(i + 2), isContinuation(i + 3)
                else { return false }
                let b1 = p[i + 1]
                if b == 0xF0 && b1 < 0x90 { return false }  // overlong
                if b == 0xF4 && b1 > 0x8F { return false }  // past U+10FFFF
                i += 4
            default:
                return false
            }
        }
        return true
    }

    /// Calls `body` with the bytes `String(decoding: b, as: UTF8.self)` holds: `b` itself when it
    /// is valid UTF-8 (the usual case: no copy, ASCII tested first), the repaired string's bytes
    /// otherwise (each invalid sequence replaced by U+FFFD).
    @inline(__always)
    static func withRepairedUTF8<R>(_ b: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let p = b.baseAddress, isASCII(p, count: b.count) || isValidUTF8(b) { return body(b) }
        guard !b.isEmpty else { return body(b) }
        var s = String(decoding: b, as: UTF8.self)
        return s.withUTF8(body)
    }

    /// Whether `count` bytes at `p` are all ASCII.
    @inlinable
    static func isASCII(_ p: UnsafePointer<UInt8>, count n: Int) -> Bool {
        var i = 0
        var acc: UInt64 = 0
        while i + 8 <= n {
            acc |= UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            i += 8
        }
        while i < n {
            acc |= UInt64(p[i])
            i += 1
        }
        return acc & 0x8080_8080_8080_8080 == 0
    }

    /// The longest prefix of `b` of at most `limit` bytes that does not split a UTF-8 character
    /// (it ends before a continuation byte), for cutting long text to show.
    static func prefixLength(_ b: UnsafeBufferPointer<UInt8>, atMost limit: Int) -> Int {
        var end = min(b.count, limit)
        while end < b.count, end > 0, b[end] & 0xC0 == 0x80 { end -= 1 }
        return end
    }

    /// The two bytes a converted source (`ShiftJISDecodingSource`) writes for a byte of its file it
    /// cannot convert: a lead of a three-byte UTF-8 sequence (E1–E4, from the byte's top two bits)
    /// and one continuation byte (its low six bits). Converted text never holds a lead without its
    /// two continuations, so the mark is invalid UTF-8 (the field is rejected), reads as one U+FFFD
    /// in a `String`, and gives the byte back (`markedByte`). Example: 0x81 → E3 81.
    static func conversionMark(_ byte: UInt8) -> (lead: UInt8, continuation: UInt8) {
        (0xE1 + (byte >> 6), 0x80 | (byte & 0x3F))
    }

    /// The byte whose `conversionMark` starts at `i` in converted text, or nil when none does.
    static func markedByte(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt8? {
        guard i + 1 < b.count, (0xE1...0xE4).contains(b[i]), b[i + 1] & 0xC0 == 0x80,
            i + 2 == b.count || b[i + 2] & 0xC0 != 0x80
        else { return nil }
        return (b[i] - 0xE1) << 6 | (b[i + 1] & 0x3F)
    }

    /// Length of an incomplete UTF-8 sequence at the end of `buffer` (0 when none).
    static func truncatedUTF8Tail(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        let n = buffer.count
        var back = 1
        while back <= min(3, n) {
            let b = buffer[n - back]
            if b & 0xC0 != 0x80 {
                let need: Int
                switch b {
                case 0xC2...0xDF: need = 2
                case 0xE0...0xEF: need = 3
                case 0xF0...0xF4: need = 4
                default: need = 1
                }
                return need > back ? back : 0
            }
            back += 1
        }
        return 0
    }
}

/// A stream of UTF-8 bytes for the CSV reader: the file as is, or converted from Shift_JIS.
protocol CSVByteSource: AnyObject {
    /// Writes up to `capacity` bytes (at least 8 asked) to `destination`; returns how many, 0 only
    /// at the end of the input.
    func fill(_ destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(CSVFileError) -> Int
}

/// An open file read with read(2), the bytes passed through unchanged.
final class CSVFileSource: CSVByteSource {
    let fd: Int32
    let path: String

    init(path: String) throws(CSVFileError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .cannotOpen(path: path, reason: "it is a directory, not a file")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    func fill(_ destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(CSVFileError) -> Int {
        while true {
            let n = read(fd, destination, capacity)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .readFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

/// Converts a Shift_JIS (CP932) file to UTF-8 with iconv, chunk by chunk.
///
/// A byte iconv rejects becomes its `TextDecoding.conversionMark` in the output, two bytes that
/// are never UTF-8 there, so the reader's UTF-8 check flags the field that held it and the record
/// is rejected rather than the run stopped, and the reject can show the byte as the file has it
/// (`\x81`). The rejected byte is skipped alone: CSV's structural bytes (delimiters, quotes, line
/// ends) are never CP932 trail bytes, so the record structure survives.
final class ShiftJISDecodingSource: CSVByteSource {
    private let file: CSVFileSource
    private let converter: iconv_t
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 1 << 20
    private var inputStart = 0
    private var inputEnd = 0
    private var fileDone = false

    init(file: CSVFileSource) throws(CSVFileError) {
        self.file = file
        // CP932 is what Excel writes ("Shift_JIS" in its menus); plain SHIFT_JIS lacks the NEC and
        // IBM extensions (①, ㈱, 髙) but is an acceptable fallback where CP932 is not installed.
        var converter = iconv_open("UTF-8", "CP932")
        if Int(bitPattern: converter) == -1 { converter = iconv_open("UTF-8", "SHIFT_JIS") }
        guard Int(bitPattern: converter) != -1, let converter else {
            throw .encodingUnavailable(path: file.path, encoding: .shiftJIS)
        }
        self.converter = converter
        input = .allocate(capacity: inputCapacity)
    }

    deinit {
        iconv_close(converter)
        input.deallocate()
    }

    private func readMore() throws(CSVFileError) {
        if inputStart > 0 {
            let pending = inputEnd - inputStart
            if pending > 0 { memmove(input, input + inputStart, pending) }
            inputStart = 0
            inputEnd = pending
        }
        let n = try file.fill(input + inputEnd, capacity: inputCapacity - inputEnd)
        if n == 0 { fileDone = true }
        inputEnd += n
    }

    func fill(_ destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(CSVFileError) -> Int {
        var out = destination
        var outLeft = capacity
        // A CP932 character is at most 3 bytes of UTF-8; stop before iconv could fail for room.
        convert: while outLeft >= 4 {
            if inputStart == inputEnd {
                if fileDone { break convert }
                try readMore()
                continue
            }
            var inLeft = inputEnd - inputStart
            var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(input + inputStart)
                .assumingMemoryBound(to: CChar.self)
            var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out)
                .assumingMemoryBound(to: CChar.self)
            let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
            let failure = errno
            inputStart = inputEnd - inLeft
            if let outPointer { out = UnsafeMutableRawPointer(outPointer).assumingMemoryBound(to: UInt8.self) }
            if result != -1 { continue }
            switch failure {
            case E2BIG:
                break convert
            case EINVAL where !fileDone:
                try readMore()  // a character split across reads: fetch the rest
            default:
                // EILSEQ, or a character cut off by the end of the file: mark it and move on (with
                // no room for the mark, on the next call).
                guard outLeft >= 2 else { break convert }
                let mark = TextDecoding.conversionMark(input[inputStart])
                out[0] = mark.lead
                out[1] = mark.continuation
                out += 2
                outLeft -= 2
                inputStart += 1
            }
        }
        return out - destination
    }
}
