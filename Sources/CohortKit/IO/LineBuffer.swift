#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lines of a file, read in large chunks into one buffer that both JSON Lines readers scan in
/// place.
///
/// Lines end at `\n`; a `\r` before it is dropped; the last line may lack its newline; a UTF-8
/// byte-order mark is skipped at the very start of the file only (not at the start of a range
/// that begins later). Memory is bounded by the chunk and the longest line. A line's bytes stay
/// valid until the next `next()` call.
final class LineBuffer {
    private let file: ChunkedFileReader
    private let chunkSize: Int
    /// The bytes read and not yet consumed; lines are ranges of `bytes`.
    private let buffer = ByteBuffer(capacity: 0)
    private var pos = 0
    private var eof = false
    /// Whether the first line read starts the file (and may start with a byte-order mark).
    private let startsFile: Bool
    /// File offset of `buffer[0]`.
    private(set) var bufferOffset: Int
    /// 1-based number of the current line, blank lines included.
    private(set) var lineNumber = 0
    /// Counts the lines read (nil: no progress shown).
    private let progress: ProgressMeter?
    /// Longest a line may be, in bytes; a longer one throws `InputError.lineTooLong` (a file that
    /// is not JSON Lines at all, or a device such as `/dev/zero`, would otherwise fill memory).
    let maxLineBytes: Int

    /// Reads the whole file, or only the bytes in `range` (which must start at a line start).
    init(
        path: String, chunkSize: Int, range: Range<Int>? = nil, progress: ProgressMeter?,
        maxLineBytes: Int = LineBuffer.maxSourceLineBytes
    ) throws {
        self.maxLineBytes = maxLineBytes
        file = try ChunkedFileReader(path: path, range: range)
        self.chunkSize = chunkSize
        startsFile = (range?.lowerBound ?? 0) == 0
        bufferOffset = range?.lowerBound ?? 0
        self.progress = progress
    }

    /// The longest line of a source file: 256 MiB (a field of 100 MB is read).
    static let maxSourceLineBytes = 256 << 20
    /// The longest line of a stage's own output: 1 GiB, room for the JSON escaping of a source
    /// record at the source limit.
    static let maxOutputLineBytes = 1 << 30

    /// Bytes read from the file so far.
    var bytesRead: Int { file.bytesRead }

    /// The bytes read and not yet consumed, valid until the next `next()`; lines are ranges of it.
    var bytes: UnsafeBufferPointer<UInt8> { buffer.written }

    /// Calls `body` with `bytes` (the shape of `Array.withUnsafeBufferPointer`, for scanners).
    @inline(__always) func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(buffer.written)
    }

    /// The next line's range in `bytes` (without its line ending, or the byte-order mark of the
    /// file's first line); nil at the end of the file.
    func next() throws -> Range<Int>? {
        guard let nl = try nextLineEnd() else { return nil }
        if nl - pos > maxLineBytes {
            throw InputError.lineTooLong(path: file.path, line: lineNumber + 1, limit: maxLineBytes)
        }
        progress?.tick()
        lineNumber += 1
        var start = pos
        var end = nl
        pos = nl + 1
        let b = buffer.base
        if end > start, b[end - 1] == 0x0D { end -= 1 }
        if lineNumber == 1, startsFile, end - start >= 3, b[start] == 0xEF, b[start + 1] == 0xBB, b[start + 2] == 0xBF {
            start += 3
        }
        return start..<end
    }

    /// Whether `line` holds nothing but spaces and tabs (and `\r`, when `carriageReturn`).
    func isBlank(_ line: Range<Int>, carriageReturn: Bool) -> Bool {
        let b = buffer.base
        var i = line.lowerBound
        while i < line.upperBound {
            let c = b[i]
            if c != 0x20, c != 0x09, !(carriageReturn && c == 0x0D) { return false }
            i += 1
        }
        return true
    }

    /// Finds the end of the next line, reading more of the file as needed.
    private func nextLineEnd() throws -> Int? {
        // Bytes of the partial line already searched: a line longer than a chunk is searched
        // once, not again from its start after every read.
        var searched = pos
        while true {
            if searched < buffer.count {
                let base = buffer.base
                if let q = memchr(base + searched, 0x0A, buffer.count - searched) {
                    return base.distance(to: q.assumingMemoryBound(to: UInt8.self))
                }
                searched = buffer.count
            }
            if eof {
                guard pos < buffer.count else { return nil }
                buffer.append(0x0A)  // the last line has no newline
                continue
            }
            if searched - pos > maxLineBytes {
                throw InputError.lineTooLong(path: file.path, line: lineNumber + 1, limit: maxLineBytes)
            }
            // Keep the partial line, read more.
            if pos > 0 {
                memmove(buffer.base, buffer.base + pos, buffer.count - pos)
                buffer.count -= pos
                bufferOffset += pos
                searched -= pos
                pos = 0
            }
            if try file.read(into: buffer, max: chunkSize) == 0 { eof = true }
        }
    }
}
