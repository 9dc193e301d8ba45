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
    private let lines: LineBuffer
    private var lineStart = 0
    private var lineEnd = 0
    private var parser = StrictJSONLine()
    private let digest: FileDigest?
    /// 1-based number of the current line.
    var lineNumber: Int { lines.lineNumber }
    /// Why the current line is not a valid JSON object; nil when it is.
    private(set) var problem: StrictJSONLine.Problem?

    /// `digest`: compute the file's SHA-256 that way (nil: none).
    init(path: String, digest: DigestMode? = nil, chunkSize: Int = ReadChunk.bytes, progress: ProgressMeter? = nil)
        throws
    {
        self.path = path
        lines = try LineBuffer(path: path, chunkSize: max(chunkSize, 16), progress: progress)
        self.digest = digest.map { FileDigest(path: path, mode: $0) }
    }

    /// Bytes read from the file so far.
    var bytesRead: Int { lines.bytesRead }
    /// SHA-256 of the whole file (nil without `digest`).
    func digestHex() -> String? { digest?.hex() }

    /// Advances to the next non-blank line; false at the end of the file.
    func next() throws -> Bool {
        while let line = try lines.next() {
            if lines.isBlank(line, carriageReturn: true) { continue }
            lineStart = line.lowerBound
            lineEnd = line.upperBound
            problem = lines.withBytes { b in
                parser.parse(UnsafeBufferPointer(rebasing: b[line]))
            }
            return true
        }
        return false
    }

    /// Calls `body` with the current line's bytes (without its line ending).
    func withLineBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        lines.withBytes { body(UnsafeBufferPointer(rebasing: $0[lineStart..<lineEnd])) }
    }

    /// The current line as text (invalid UTF-8 shown as U+FFFD).
    var rawLine: String { String(decoding: lines.bytes[lineStart..<lineEnd], as: UTF8.self) }

    /// Calls `body` with the current line's top-level members (offsets into the line and the
    /// scratch), its bytes and the scratch bytes that hold its unescaped keys and strings, read
    /// in place with nothing retained: the per-line path of a source reader. `body` must not use
    /// the parser again (`next()`, `withBytes`, this call): it is being accessed.
    func withMembersAndBytes<R>(
        _ body: (
            _ members: UnsafeBufferPointer<StrictJSONLine.Member>, _ line: UnsafeBufferPointer<UInt8>,
            _ scratch: UnsafeBufferPointer<UInt8>
        ) -> R
    ) -> R {
        let line = UnsafeBufferPointer(rebasing: lines.bytes[lineStart..<lineEnd])
        return parser.withMembersAndScratch { m, s in body(m, line, s) }
    }

    /// Calls `body` with the current line's bytes and the scratch bytes that hold its unescaped
    /// keys and strings (the two places a member's offsets point into).
    func withBytes<R>(_ body: (_ line: UnsafeBufferPointer<UInt8>, _ scratch: UnsafeBufferPointer<UInt8>) -> R) -> R {
        lines.withBytes { b in
            parser.scratch.withUnsafeBufferPointer { s in body(UnsafeBufferPointer(rebasing: b[lineStart..<lineEnd]), s)
            }
        }
    }
}
