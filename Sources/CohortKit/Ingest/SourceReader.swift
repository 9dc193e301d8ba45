/// Reads the rows of one configured source, CSV or JSON Lines, behind one interface: fields are
/// looked up by column position (CSV) or key (JSONL) and handed out as bytes without copying.
protocol SourceReader: AnyObject {
    /// The column names the file has (CSV header; for JSONL the keys of the source's known fields).
    var columns: [String] { get }
    func next() throws -> Bool
    var line: Int { get }
    var raw: String { get }
    /// Why the current row cannot be read at all (bad quoting, invalid encoding, not an object).
    var rowError: String? { get }
    /// The field `rowError` concerns ("" for the row as a whole) and its offending value.
    var rowErrorField: String { get }
    var rowErrorValue: String { get }
    /// `rowError` without what is particular to the row, when it has such a part: the reason
    /// rejects are counted by ("" when `rowError` is that reason itself).
    var rowErrorGroup: String { get }
    /// Position of a column by name, nil when the file lacks it.
    func column(named name: String) -> Int?
    /// Calls `body` with the bytes of the field (nil when absent or null).
    func withField<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R
    var bytesRead: Int { get }
    func digestHex() -> String
    /// Copies the current row (line, error, raw text and every field asked for so far) into
    /// `batch`, for `PrefetchingReader`.
    func copyRow(into batch: RowBatch)
    /// Calls `body` with the bytes of the field in the row after the current one when the reader
    /// already holds that row, nil otherwise (absent, null, or not read yet): a look ahead, for
    /// asking the memory a row will need before it is its turn.
    func withFieldAhead<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R
}

extension SourceReader {
    /// Readers that do not hold the next row see nothing ahead.
    func withFieldAhead<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R { body(nil) }
    var rowErrorField: String { "" }
    var rowErrorValue: String { "" }
    var rowErrorGroup: String { "" }

    /// The field as a string; nil when absent, null or empty.
    func string(_ column: Int?) -> String? {
        guard let column else { return nil }
        return withField(column) { b in
            guard let b, b.count > 0 else { return nil }
            return String(decoding: b, as: UTF8.self)
        }
    }

    /// The field without surrounding spaces and tabs, read from the bytes: nil when absent, null
    /// or empty, "" when it held only spaces (as `string(column)?.trimmingSpaces`).
    func trimmedString(_ column: Int?) -> String? {
        withTrimmed(column) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// As `trimmedString(column)`, reusing the last row's string while the field repeats it
    /// (exports repeat customer ids, products, plans and currencies row after row).
    func trimmedString(_ column: Int?, _ cache: inout RepeatedValueCache<String>) -> String? {
        guard let column else { return nil }
        return withField(column) { b in
            guard let b, b.count > 0 else { return nil }
            if let hit = cache.lookup(b) { return hit }
            let s = String(decoding: IngestStage.trimmed(b), as: UTF8.self)
            cache.store(bytes: b, s)
            return s
        }
    }

    /// Calls `body` with the field's bytes without surrounding spaces: nil when the column or
    /// the field is absent, null or empty, no bytes when it held only spaces (as `trimmedString`).
    @inline(__always)
    func withTrimmed<R>(_ column: Int?, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard let column else { return body(nil) }
        return withField(column) { b in
            guard let b, b.count > 0 else { return body(nil) }
            return body(IngestStage.trimmed(b))
        }
    }

    /// Whether the field, trimmed, is the word `null` in any case (exports write it for "none").
    func isNullWord(_ column: Int) -> Bool {
        withField(column) { b in
            guard let b else { return false }
            let t = IngestStage.trimmed(b)
            guard t.count == 4 else { return false }
            return t[0] | 0x20 == 0x6e && t[1] | 0x20 == 0x75 && t[2] | 0x20 == 0x6c && t[3] | 0x20 == 0x6c
        }
    }

    func isEmpty(_ column: Int?) -> Bool {
        guard let column else { return true }
        return withField(column) { b in b.map { IngestStage.trimmed($0).isEmpty } ?? true }
    }
}

final class CSVSourceReader: SourceReader {
    private let reader: CSVReader
    private var record = CSVRecord()
    private let index: [String: Int]
    let columns: [String]

    private let path: String
    /// Counts the rows read (nil: no progress shown).
    private let progress: ProgressMeter?

    /// `digest`: where the file's SHA-256 is computed; `progress` counts the rows read.
    init(path: String, dialect: CSVDialect, digest: DigestMode = .inline, progress: ProgressMeter? = nil) throws {
        self.path = path
        self.progress = progress
        shiftJIS = dialect.encoding == .shiftJIS
        do {
            reader = try CSVReader(path: path, dialect: dialect)
        } catch {
            switch error {
            case .cannotOpen, .readFailed: throw InputError.badSource(path: path, reason: "\(error)", hint: "")
            case .recordTooLong(let path, let line, let limit):
                throw InputError.lineTooLong(path: path, line: line, limit: limit)
            default:
                throw InputError.badSource(
                    path: path, reason: "\(error)", hint: "Fix the file or the source's settings in pipeline.json.")
            }
        }
        self.digest = FileDigest(path: path, mode: digest)
        columns = reader.header
        var idx: [String: Int] = [:]
        for (i, c) in columns.enumerated() where idx[c] == nil { idx[c] = i }
        index = idx
    }

    func next() throws -> Bool {
        if reader.next(into: &record) {
            progress?.tick()
            return true
        }
        if case .recordTooLong(let path, let line, let limit) = reader.readError {
            throw InputError.lineTooLong(path: path, line: line, limit: limit)
        }
        if let e = reader.readError { throw InputError.cannotRead(path: path, reason: "\(e)") }
        return false
    }
    var line: Int { record.line }
    var raw: String { record.raw }
    var rowError: String? {
        guard let e = record.error else { return nil }
        // The general hint suggests shift_jis; a source already read as Shift_JIS needs another.
        if case .invalidUTF8(let field) = e, shiftJIS {
            let name =
                columns.indices.contains(field - 1) && !columns[field - 1].isEmpty
                ? "field \(field) (\"\(KeyText.escaped(columns[field - 1]))\")" : "field \(field)"
            return
                "\(name) holds bytes that are not valid Shift_JIS (CP932) text although the source's \"encoding\" is \"shift_jis\"; "
                + "check the file's encoding: if it is UTF-8, set \"encoding\": \"utf-8\", otherwise re-export it as UTF-8"
        }
        return e.description(columnNames: columns)
    }
    private let shiftJIS: Bool
    func column(named name: String) -> Int? { index[name] }
    func withField<R>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        column < record.fieldCount ? body(record.bytes(column)) : body(nil)
    }
    var bytesRead: Int { FilePaths.size(path) ?? 0 }
    private let digest: FileDigest
    func digestHex() -> String { digest.hex() }
    func copyRow(into batch: RowBatch) {
        // Straight from the record's spans and storage, with no copy of the record and nothing
        // retained per row: the reader's buffers are read through their pointers, the spans in
        // place (`CSVRecord.withSpans`).
        guard let base = record.storage?.base, let scratch = record.storage?.scratch else {
            batch.beginRow(line: record.line, error: rowError, raw: UnsafeBufferPointer(start: nil, count: 0))
            batch.endRow()
            return
        }
        batch.beginRow(
            line: record.line, error: record.error == nil ? nil : rowError,
            raw: UnsafeBufferPointer(start: base + record.rawStart, count: max(0, record.rawEnd - record.rawStart)))
        record.withSpans { spans in
            for span in spans {
                batch.addField(
                    UnsafeBufferPointer(start: (span.inScratch ? scratch : base) + span.start, count: span.count))
            }
        }
        batch.endRow()
    }
}
