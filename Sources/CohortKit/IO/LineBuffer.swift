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
struct LineBuffer {
    private let file: ChunkedFileReader
    private let chunkSize: Int
    /// The bytes read and not yet consumed; lines are ranges of it.
    private(set) var buffer: [UInt8] = []
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

    /// Reads the whole file, or only the bytes in `range` (which must start at a line start).
    init(path: String, chunkSize: Int, range: Range<Int>? = nil, progress: ProgressMeter?) throws {
        file = try ChunkedFileReader(path: path, range: range)
        self.chunkSize = chunkSize
        startsFile = (range?.lowerBound ?? 0) == 0
        bufferOffset = range?.lowerBound ?? 0
        self.progress = progress
    }

    /// Bytes read from the file so far.
    var bytesRead: Int { file.bytesRead }

    /// The next line's range in `buffer` (without its line ending, or the byte-order mark of the
    /// file's first line); nil at the end of the file.
    mutating func next() throws -> Range<Int>? {
        guard let nl = try nextLineEnd() else { return nil }
        progress?.tick()
        lineNumber += 1
        var start = pos
        var end = nl
        pos = nl + 1
        if end > start, buffer[end - 1] == 0x0D { end -= 1 }
        if lineNumber == 1, startsFile, end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB,
            buffer[start + 2] == 0xBF
        {
            start += 3
        }
        return start..<end
    }

    /// Whether `line` holds nothing but spaces and tabs (and `\r`, when `carriageReturn`).
    func isBlank(_ line: Range<Int>, carriageReturn: Bool) -> Bool {
        var i = line.lowerBound
        while i < line.upperBound {
            let c = buffer[i]
            if c != 0x20, c != 0x09, !(carriageReturn && c == 0x0D) { return false }
            i += 1
        }
        return true
    }

    /// Finds the end of the next line, reading more of the file as needed.
    private mutating func nextLineEnd() throws -> Int? {
        // Bytes of the partial line already searched: a line longer than a chunk is searched
        // once, not again from its start after every read.
        var searched = pos
        while true {
            if searched < buffer.count {
                let from = searched
                let found: Int? = buffer.withUnsafeBufferPointer { b in
                    guard let base = b.baseAddress, let q = memchr(base + from, 0x0A, b.count - from) else {
                        return nil
                    }
                    return base.distance(to: q.assumingMemoryBound(to: UInt8.self))
                }
                if let found { return found }
                searched = buffer.count
            }
            if eof {
                guard pos < buffer.count else { return nil }
                buffer.append(0x0A)  // the last line has no newline
                continue
            }
            // Keep the partial line, read more.
            if pos > 0 {
                buffer.removeSubrange(0..<pos)
                bufferOffset += pos
                searched -= pos
                pos = 0
            }
            if try file.read(into: &buffer, max: chunkSize) == 0 { eof = true }
        }
    }
}
