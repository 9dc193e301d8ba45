/// Writes a JSON Lines file atomically, one `JSONLineBuilder` object per line, counting rows.
public final class JSONLWriter {
    public let path: String
    let file: AtomicFileWriter
    public private(set) var rows = 0
    /// Reusable line builder: `reset`, fill, then `writeLine()`.
    public let line = JSONLineBuilder()

    /// `digest`: where the file's SHA-256 is computed as it is written.
    public init(path: String, digest: DigestMode = .inline) throws {
        self.path = path
        file = try AtomicFileWriter(path: path, digest: digest)
    }

    /// Starts a new row: clears the builder and opens the object.
    @inlinable public func begin() {
        line.reset()
        line.beginObject()
    }

    /// Closes the row started by `begin()` and writes it.
    public func end() throws {
        line.endObject()
        line.newline()
        try file.write(line.written)
        rows += 1
    }

    /// Renames the finished file into place.
    public func commit() throws {
        try file.commit()
    }

    /// Flushes and closes the temporary file; `sha256` and `bytes` are then final.
    public func finish() throws { try file.finish() }

    /// Renames the finished temporary file into place.
    public func rename() throws { try file.rename() }

    /// SHA-256 (hex) of the written file, computed while writing; set by `finish()`.
    public var sha256: String { file.sha256 }
    /// XXH64 (hex) of the written file, computed while writing; set by `finish()`.
    public var xxh64: String { file.xxh64 }

    /// Bytes written.
    public var bytes: Int { file.bytesWritten }

    public func discard() { file.discard() }
}
