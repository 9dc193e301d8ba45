/// Writes a JSON Lines file atomically, one `JSONLineBuilder` object per line, counting rows.
public final class JSONLWriter {
    public let path: String
    private let file: AtomicFileWriter
    public private(set) var rows = 0
    /// Reusable line builder: `reset`, fill, then `writeLine()`.
    public let line = JSONLineBuilder()

    public init(path: String) throws {
        self.path = path
        file = try AtomicFileWriter(path: path)
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

    /// Renames the finished file into place. Outputs are not digested here: the stage that reads
    /// a file digests it as it streams it, and records that in its own manifest.
    public func commit() throws {
        try file.commit()
    }

    public func discard() { file.discard() }
}
