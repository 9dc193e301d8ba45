/// Streams a JSON Lines *input* file one line at a time, checking each line strictly
/// (`StrictJSONLine`: RFC 8259, one object per line, well-formed UTF-8, no duplicate keys).
///
/// A line that fails is not an error of the file: `problem` says why and the caller rejects that
/// line and reads on. Lines end at `\n`; a `\r` before it is dropped; a UTF-8 byte-order mark is
/// skipped at the very start of the file only; lines of nothing but spaces, tabs and `\r` are
/// skipped (their numbers still count). Memory is bounded by the chunk and the longest line.
/// The stages' own outputs are read by the faster, trusting `JSONLReader`.
///
///     let r = try StrictJSONLReader(path: "events.jsonl")
///     while try r.next() { if let p = r.problem { print(r.lineNumber, p.reason) } }
final class StrictJSONLReader {
    typealias Kind = StrictJSONLine.Kind

    let path: String
    private let file: ChunkedFileReader
    private var buffer: [UInt8] = []
    private var pos = 0
    private var eof = false
    private var lineStart = 0
    private var lineEnd = 0
    private var parser = StrictJSONLine()
    private let chunkSize: Int
    private let digest: FileDigest?
    /// 1-based number of the current line.
    private(set) var lineNumber = 0
    /// Why the current line is not a valid JSON object; nil when it is.
    private(set) var problem: StrictJSONLine.Problem?

    /// Counts the lines read (nil: no progress shown).
    private let progress: ProgressMeter?

    /// `digest`: compute the file's SHA-256 that way (nil: none).
    init(path: String, digest: DigestMode? = nil, chunkSize: Int = 4 << 20, progress: ProgressMeter? = nil) throws {
        self.path = path
        self.progress = progress
        self.chunkSize = max(chunkSize, 16)
        file = try ChunkedFileReader(path: path)
        self.digest = digest.map { FileDigest(path: path, mode: $0) }
    }

    /// Bytes read from the file so far.
    var bytesRead: Int { file.bytesRead }
    /// SHA-256 of the whole file (nil without `digest`).
    func digestHex() -> String? { digest?.hex() }

    /// Advances to the next non-blank line; false at the end of the file.
    func next() throws -> Bool {
        while true {
            guard let nl = try nextLineEnd() else { return false }
            progress?.tick()
            lineNumber += 1
            lineStart = pos
            lineEnd = nl
            pos = nl + 1
            if lineEnd > lineStart, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if lineNumber == 1, lineEnd - lineStart >= 3, buffer[lineStart] == 0xEF, buffer[lineStart + 1] == 0xBB,
                buffer[lineStart + 2] == 0xBF
            {
                lineStart += 3
            }
            if isBlank() { continue }
            problem = buffer.withUnsafeBufferPointer { b in
                parser.parse(UnsafeBufferPointer(rebasing: b[lineStart..<lineEnd]))
            }
            return true
        }
    }

    /// Calls `body` with the current line's bytes (without its line ending).
    func withLineBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[lineStart..<lineEnd])) }
    }

    /// The current line as text (invalid UTF-8 shown as U+FFFD).
    var rawLine: String { String(decoding: buffer[lineStart..<lineEnd], as: UTF8.self) }

    /// The current line's top-level members (offsets into `withBytes`' line and scratch).
    var members: [StrictJSONLine.Member] { parser.members }

    /// Calls `body` with the current line's bytes and the scratch bytes that hold its unescaped
    /// keys and strings (the two places a member's offsets point into).
    func withBytes<R>(_ body: (_ line: UnsafeBufferPointer<UInt8>, _ scratch: UnsafeBufferPointer<UInt8>) -> R) -> R {
        buffer.withUnsafeBufferPointer { b in
            parser.scratch.withUnsafeBufferPointer { s in body(UnsafeBufferPointer(rebasing: b[lineStart..<lineEnd]), s)
            }
        }
    }

    private func isBlank() -> Bool {
        var i = lineStart
        while i < lineEnd {
            let c = buffer[i]
            if c != 0x20, c != 0x09, c != 0x0D { return false }
            i += 1
        }
        return true
    }

    /// Finds the end of the next line, reading more of the file as needed.
    private func nextLineEnd() throws -> Int? {
        while true {
            if pos < buffer.count {
                let found: Int? = buffer.withUnsafeBufferPointer { b in
                    guard let base = b.baseAddress, let q = memchr(base + pos, 0x0A, b.count - pos) else { return nil }
                    return base.distance(to: q.assumingMemoryBound(to: UInt8.self))
                }
                if let found { return found }
            }
            if eof {
                guard pos < buffer.count else { return nil }
                buffer.append(0x0A)  // the last line has no newline
                continue
            }
            if pos > 0 {
                buffer.removeSubrange(0..<pos)
                pos = 0
            }
            if try file.read(into: &buffer, max: chunkSize) == 0 { eof = true }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
