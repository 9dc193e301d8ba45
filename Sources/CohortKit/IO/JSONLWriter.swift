/// Writes a JSON Lines file atomically, one `JSONLineBuilder` object per line, counting rows.
///
/// Rows gather in the builder and go to the file a chunk at a time (`chunkBytes`), not one call
/// and one copy per row. A row started and not ended (its caller threw) is dropped by the next
/// `begin()` or by `finish()`.
public final class JSONLWriter {
    public let path: String
    let file: AtomicFileWriter
    public private(set) var rows = 0
    /// The line builder: `begin()`, fill, then `end()`. It holds the rows not yet handed to the
    /// file, and the current row after them.
    public let line = JSONLineBuilder(capacity: JSONLWriter.chunkBytes + 4096)
    /// Bytes of `line` that are whole rows.
    @usableFromInline var ended = 0
    /// The size at which the gathered rows are handed to the file.
    @usableFromInline static let chunkBytes = 64 << 10

    /// `digest`: where the file's SHA-256 is computed as it is written.
    public init(path: String, digest: DigestMode = .inline) throws {
        self.path = path
        file = try AtomicFileWriter(path: path, digest: digest)
    }

    /// Starts a new row after the rows written: drops an unfinished one and opens the object.
    @inlinable public func begin() {
        line.startRow(at: ended)
        line.beginObject()
    }

    /// Closes the row started by `begin()`; the row is written with the next chunk (a write
    /// error then surfaces from a later `end()` or from `finish()`).
    public func end() throws {
        line.endObject()
        line.newline()
        ended = line.count
        rows += 1
        if ended >= Self.chunkBytes { try writeEnded() }
    }

    /// Hands the whole rows in the builder to the file.
    private func writeEnded() throws {
        line.count = ended
        defer {
            line.reset()
            ended = 0
        }
        if ended > 0 { try file.write(line.written) }
    }

    /// Writes the rows not yet written, finishes the file and renames it into place (`rename()`).
    public func commit() throws { try rename() }

    /// Writes the rows not yet written, then flushes and closes the temporary file; `sha256` and
    /// `bytes` are then final.
    public func finish() throws {
        try writeEnded()
        try file.finish()
    }

    /// Renames the finished temporary file into place (finishing it first).
    public func rename() throws {
        try finish()
        try file.rename()
    }

    /// SHA-256 (hex) of the written file, computed while writing; set by `finish()`.
    public var sha256: String { file.sha256 }
    /// XXH64 (hex) of the written file, computed while writing; set by `finish()`.
    public var xxh64: String { file.xxh64 }

    /// Bytes handed to the file (all of them once `finish()` has run).
    public var bytes: Int { file.bytesWritten }

    /// Abandons the output, the rows not yet handed to the file with it: the destination keeps
    /// its previous content.
    public func discard() {
        line.reset()
        ended = 0
        file.discard()
    }
}
