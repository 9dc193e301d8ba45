/// One record read by `CSVReader`: its fields as byte views into the reader's buffer.
///
/// The views, `string(_:)` and `raw` are valid until the next `CSVReader.next(into:)` call on
/// the same record; copy what must outlive it. A record with `error` set is still complete enough
/// to reject: `line` and `raw` are exact, the field values are a best effort.
public struct CSVRecord {
    /// Where one field's bytes lie: in the reader's buffer, or (after `""` was unescaped) in the
    /// scratch area beside it.
    struct Span {
        var start: Int
        var count: Int
        var inScratch: Bool
    }

    var spans: [Span] = []
    var storage: CSVStorage?
    var rawStart = 0
    var rawEnd = 0

    /// The 1-based physical line on which the record starts (blank lines and line ends inside
    /// quoted fields are counted).
    public internal(set) var line = 0
    /// Why the record is malformed, or nil when it is clean. The first problem found wins.
    public internal(set) var error: CSVRecordError?

    /// An empty record to pass to `CSVReader.next(into:)`, which fills it and reuses its storage.
    public init() {}

    /// How many fields the record has.
    public var fieldCount: Int { spans.count }

    /// The UTF-8 bytes of field `i` (0-based), quotes removed and `""` unescaped.
    public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let span = spans[i]
        guard let storage else { return UnsafeBufferPointer(start: nil, count: 0) }
        let base = span.inScratch ? storage.scratch : storage.base
        return UnsafeBufferPointer(start: base + span.start, count: span.count)
    }

    /// Field `i` (0-based) as a String; invalid UTF-8 shows as U+FFFD.
    public func string(_ i: Int) -> String {
        String(decoding: bytes(i), as: UTF8.self)
    }

    /// Whether field `i` (0-based) is empty (`a,,b` and `a,"",b` both have an empty field 1).
    public func isEmpty(_ i: Int) -> Bool { spans[i].count == 0 }

    /// Calls `body` with the fields' spans, accessed in place: a reader that keeps the record in
    /// a class reads them without retaining the array for every record.
    mutating func withSpans<R>(_ body: (UnsafeBufferPointer<Span>) -> R) -> R {
        spans.withUnsafeMutableBufferPointer { body(UnsafeBufferPointer($0)) }
    }

    /// The record's text exactly as read (quotes and inner line ends included, its line end
    /// excluded), for rejects.
    public var raw: String {
        guard let storage, rawEnd > rawStart else { return "" }
        return String(
            decoding: UnsafeBufferPointer(start: storage.base + rawStart, count: rawEnd - rawStart),
            as: UTF8.self)
    }
}

/// What is wrong with one CSV record. Field numbers are 1-based, as an analyst counts columns.
public enum CSVRecordError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A quoted field is never closed. The record then covers only the line the quote opened on.
    case unterminatedQuote
    /// A `"` inside a field that does not start with one, e.g. `5" display`.
    case strayQuote(field: Int)
    /// Text between a closing quote and the next delimiter, e.g. `"Acme" Inc`.
    case textAfterClosingQuote(field: Int)
    /// The record has `found` fields where the header has `expected`.
    case wrongFieldCount(expected: Int, found: Int)
    /// The field's bytes are not valid text in the file's encoding.
    case invalidUTF8(field: Int)

    public var description: String { description(columnNames: []) }

    /// The message for an analyst, naming the column when `columnNames` (the header) has it.
    public func description(columnNames: [String]) -> String {
        func name(_ field: Int) -> String {
            let index = field - 1
            guard columnNames.indices.contains(index), !columnNames[index].isEmpty else { return "field \(field)" }
            return "field \(field) (\"\(KeyText.escaped(columnNames[index]))\")"
        }
        switch self {
        case .unterminatedQuote:
            return "a quoted field is never closed: an opening quote (\") has no closing quote on this line "
                + "or before the end of the file; close the quote, or double quotes that belong to the value (\"\")"
        case .strayQuote(let field):
            return "\(name(field)) has a quote inside an unquoted value; quote the whole field and double inner "
                + "quotes (5\" display → \"5\"\" display\")"
        case .textAfterClosingQuote(let field):
            return "\(name(field)) has text after its closing quote; quote the whole field and double inner "
                + "quotes (\"Acme\" Inc → \"\"\"Acme\"\" Inc\")"
        case .wrongFieldCount(let expected, let found):
            return "the record has \(found) field\(found == 1 ? "" : "s") but the header has \(expected); "
                + "quote values that contain the delimiter, and check for missing or extra columns"
        case .invalidUTF8(let field):
            return "\(name(field)) holds bytes that are not valid text in the source's encoding; re-export the "
                + "file as UTF-8, or set \"encoding\": \"shift_jis\" for a Japanese Excel export"
        }
    }

    /// Whether the error concerns the record's structure (quotes, field count) rather than text.
    var isStructural: Bool {
        if case .invalidUTF8 = self { return false }
        return true
    }
}

/// The reader's buffer and the scratch area for unescaped fields, shared with the records it
/// fills so their views stay valid after the buffer moves.
final class CSVStorage {
    var base: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var scratch: UnsafeMutablePointer<UInt8>
    var scratchCapacity: Int
    var scratchCount = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
        scratchCapacity = 4096
        scratch = .allocate(capacity: scratchCapacity)
    }

    deinit {
        base.deallocate()
        scratch.deallocate()
    }

    /// Grows the buffer to `newCapacity`, keeping its first `count` bytes.
    func grow(to newCapacity: Int, keeping count: Int) {
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    /// Makes room for `extra` more scratch bytes.
    func reserveScratch(_ extra: Int) {
        let needed = scratchCount + extra
        guard needed > scratchCapacity else { return }
        (scratch, scratchCapacity) = ByteBuffer.grown(
            scratch, count: scratchCount, capacity: scratchCapacity, need: needed)
    }
}
