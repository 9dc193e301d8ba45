import Foundation

/// A problem with a CSV file as a whole: the run cannot read it at all.
public enum CSVFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist, is not readable, or is a directory.
    case cannotOpen(path: String, reason: String)
    /// Reading failed part-way (an I/O error).
    case readFailed(path: String, reason: String)
    /// The file holds no header line (it is empty or only blank lines).
    case emptyFile(path: String)
    /// The header line itself is malformed.
    case malformedHeader(path: String, line: Int, error: CSVRecordError)
    /// The header line is not valid text in the declared encoding.
    case invalidHeaderEncoding(path: String, line: Int, encoding: TextEncoding, looksLikeShiftJIS: Bool)
    /// Two header columns have the same name (after trimming); `columns` are 1-based.
    case duplicateHeader(path: String, line: Int, name: String, columns: [Int])
    /// The delimiter is a quote or a line-end byte, which would make the file ambiguous.
    case unsupportedDelimiter(path: String, delimiter: UInt8)
    /// The system cannot convert from the declared encoding.
    case encodingUnavailable(path: String, encoding: TextEncoding)
    /// A record is longer than `CSVDialect.maxLineBytes`: this is not a CSV export.
    case recordTooLong(path: String, line: Int, limit: Int)
    /// The file is UTF-16 text (a UTF-16 byte-order mark, or every other byte of its start NUL).
    case utf16(path: String, byteOrderMark: Bool)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the file (\(reason)); check the source's \"path\" in the config"
        case .readFailed(let path, let reason):
            return "\(path): reading failed (\(reason)); check the disk and re-run"
        case .emptyFile(let path):
            return "\(path): the file is empty; a CSV source needs a header line naming its columns"
        case .malformedHeader(let path, let line, let error):
            return "\(path):\(line): the header line is malformed: \(error)"
        case .invalidHeaderEncoding(let path, let line, let encoding, let looksLikeShiftJIS):
            if encoding == .utf8 && looksLikeShiftJIS {
                return "\(path):\(line): the header is not valid UTF-8; this file looks like Shift_JIS: "
                    + "set \"encoding\": \"shift_jis\" for this source"
            }
            if encoding == .shiftJIS {
                return
                    "\(path):\(line): the header is not valid Shift_JIS (CP932) text although the source's \"encoding\" is \"shift_jis\"; "
                    + "if the file is UTF-8, set \"encoding\": \"utf-8\", otherwise re-export it as UTF-8"
            }
            return "\(path):\(line): the header is not valid UTF-8 text; "
                + "set the source's \"encoding\" to the file's encoding (utf-8 or shift_jis) or re-export it as UTF-8"
        case .duplicateHeader(let path, let line, let name, let columns):
            let list = columns.map(String.init).joined(separator: ", ")
            return
                "\(path):\(line): the header names column \"\(KeyText.escaped(name))\" more than once (columns \(list)); "
                + "rename the duplicates so each column can be told apart"
        case .unsupportedDelimiter(let path, let delimiter):
            return "\(path): the delimiter \(CSVFileError.show(delimiter)) cannot be a quote or a line end; "
                + "use \",\", \";\" or tab"
        case .encodingUnavailable(let path, let encoding):
            return "\(path): this system cannot convert from \(encoding) (iconv has no CP932 or SHIFT_JIS); "
                + "re-export the file as UTF-8"
        case .recordTooLong(let path, let line, let limit):
            return InputError.lineTooLong(path: path, line: line, limit: limit).description
        case .utf16(let path, let bom):
            return
                "\(path): this file is UTF-16 text (\(bom ? "it starts with a UTF-16 byte-order mark" : "every other byte is NUL")), which is not read; "
                + "re-save it as UTF-8 (in Excel: \"CSV UTF-8\") and run again"
        }
    }

    private static func show(_ byte: UInt8) -> String {
        switch byte {
        case 0x0A: return "line feed"
        case 0x0D: return "carriage return"
        default: return "\"\(Character(Unicode.Scalar(byte)))\""
        }
    }
}

/// A streaming CSV reader: one record at a time from a file of any size, fields as byte views.
///
/// Follows RFC 4180 plus what real exports do: quoted fields may hold delimiters, doubled
/// quotes and line ends; lines end in CRLF, LF or a lone CR; a UTF-8 byte-order mark is
/// dropped; blank lines (anywhere; in a file of several columns, lines of only spaces, tabs and
/// delimiters too) are skipped and are not records, but count for line numbers.
/// Shift_JIS files are converted to UTF-8 as they are read.
///
/// A malformed record is returned, not thrown, with `error` and `raw` set, so a caller can
/// reject it and go on. Resynchronisation: when a record that spans several lines only because a
/// quoted field holds a line end turns out malformed (a quote never closed by the end of the
/// file or within `CSVDialect.maxRecordBytes`, text after a closing quote, a stray quote, or the
/// wrong field count), the quote is taken as a stray opening quote: the record is cut back to
/// the first line end inside that quoted field and reported as `.unterminatedQuote` (or the
/// first error on that line), and reading resumes on the next line. So one bad quote costs one
/// line, not the rest of the file.
///
/// An I/O error part-way ends the records early; check `readError` after `next(into:)` returns
/// false.
///
/// - Complexity: O(file size) time; memory is one chunk (`ReadChunk`, 128 KiB) plus the longest record.
public final class CSVReader {
    /// The file being read.
    public let path: String
    /// The delimiter and encoding in force.
    public let dialect: CSVDialect
    /// Column names from the first non-blank line: byte-order mark dropped, surrounding
    /// whitespace trimmed. Empty names are allowed (and may repeat); others are unique.
    public private(set) var header: [String] = []
    /// The physical line the header was read from.
    public private(set) var headerLine = 0
    /// The I/O error that ended reading early, if any.
    public private(set) var readError: CSVFileError?

    private let source: CSVByteSource
    private let storage: CSVStorage
    private var pos = 0
    private var end = 0
    private var eof = false
    private var line = 1
    /// Whether some byte in the buffer may be non-ASCII: checked once per chunk, so all-ASCII
    /// chunks skip per-record UTF-8 validation.
    private var bufferHasNonASCII = false
    private var expectedFields = 0
    private let delimiter: UInt8
    /// Bytes that end an unquoted field (delimiter, CR, LF) or are errors in one (quote).
    private let unquotedStop: UnsafeMutablePointer<Bool>
    /// Bytes that need attention inside a quoted field (quote, CR, LF).
    private let quotedStop: UnsafeMutablePointer<Bool>

    /// Opens `path` and reads its header line.
    ///
    /// - Throws: `CSVFileError` when the file cannot be opened or read, is empty, or its header
    ///   is malformed, badly encoded or names a column twice.
    public convenience init(path: String, dialect: CSVDialect = CSVDialect()) throws(CSVFileError) {
        try self.init(path: path, dialect: dialect, chunkSize: ReadChunk.bytes)
    }

    /// As the public initializer, with the read size chosen (tests use tiny chunks to put record
    /// boundaries everywhere).
    init(path: String, dialect: CSVDialect, chunkSize: Int) throws(CSVFileError) {
        let delimiter = dialect.delimiter
        guard delimiter != UInt8(ascii: "\""), delimiter != 0x0A, delimiter != 0x0D else {
            throw .unsupportedDelimiter(path: path, delimiter: delimiter)
        }
        self.path = path
        self.dialect = dialect
        self.delimiter = delimiter
        let file = try CSVFileSource(path: path)
        switch dialect.encoding {
        case .utf8: source = file
        case .shiftJIS: source = try ShiftJISDecodingSource(file: file)
        }
        storage = CSVStorage(capacity: max(chunkSize, 16))
        unquotedStop = .allocate(capacity: 256)
        unquotedStop.initialize(repeating: false, count: 256)
        for byte in [delimiter, 0x0A, 0x0D, UInt8(ascii: "\"")] { unquotedStop[Int(byte)] = true }
        quotedStop = .allocate(capacity: 256)
        quotedStop.initialize(repeating: false, count: 256)
        for byte: UInt8 in [0x0A, 0x0D, UInt8(ascii: "\"")] { quotedStop[Int(byte)] = true }
        try readHeader()
    }

    deinit {
        unquotedStop.deallocate()
        quotedStop.deallocate()
    }

    private func readHeader() throws(CSVFileError) {
        while end - pos < 64 && !eof { refill() }
        let p = storage.base
        // UTF-16 (Excel's "Unicode Text") would read as a header of NULs and odd bytes: say what it is.
        if end - pos >= 2, (p[pos] == 0xFF && p[pos + 1] == 0xFE) || (p[pos] == 0xFE && p[pos + 1] == 0xFF) {
            throw .utf16(path: path, byteOrderMark: true)
        }
        let sample = min(end - pos, 64)
        var nuls = 0
        for i in 0..<sample where p[pos + i] == 0 { nuls += 1 }
        if sample >= 4, nuls * 3 >= sample { throw .utf16(path: path, byteOrderMark: false) }
        if dialect.encoding == .utf8, end - pos >= 3, p[pos] == 0xEF, p[pos + 1] == 0xBB, p[pos + 2] == 0xBF {
            pos += 3
        }
        var record = CSVRecord()
        guard next(into: &record) else {
            if let readError { throw readError }
            throw .emptyFile(path: path)
        }
        headerLine = record.line
        if let error = record.error {
            if case .invalidUTF8 = error {
                let sample = Array(
                    UnsafeBufferPointer(
                        start: storage.base + record.rawStart,
                        count: record.rawEnd - record.rawStart))
                throw .invalidHeaderEncoding(
                    path: path, line: record.line, encoding: dialect.encoding,
                    looksLikeShiftJIS: TextDecoding.looksLikeShiftJIS(sample))
            }
            throw .malformedHeader(path: path, line: record.line, error: error)
        }
        var names: [String] = []
        var columnsByName: [String: [Int]] = [:]
        for i in 0..<record.fieldCount {
            let name = record.string(i).trimmingCharacters(in: .whitespacesAndNewlines)
            names.append(name)
            if !name.isEmpty { columnsByName[name, default: []].append(i + 1) }
        }
        for name in names {
            if let columns = columnsByName[name], columns.count > 1 {
                throw .duplicateHeader(path: path, line: record.line, name: name, columns: columns)
            }
        }
        header = names
        expectedFields = names.count
    }

    /// Reads the next record into `record`, reusing its storage; false at the end of the file.
    ///
    /// Blank lines are skipped. A malformed record is still returned, with `record.error` set.
    public func next(into record: inout CSVRecord) -> Bool {
        if record.storage !== storage { record.storage = storage }
        while true {
            if pos >= end {
                if eof { return false }
                refill()
                continue
            }
            let first = storage.base[pos]
            if first == 0x0A {
                pos += 1
                line += 1
                continue
            }
            if first == 0x0D {
                if pos + 1 < end {
                    pos += storage.base[pos + 1] == 0x0A ? 2 : 1
                } else if eof {
                    pos += 1
                } else {
                    refill()
                    continue
                }
                line += 1
                continue
            }
            let outcome = parse(from: pos, limit: end, atEOF: eof, into: &record)
            guard outcome.complete else {
                if outcome.firstQuotedNewline >= 0 && end - pos > dialect.maxRecordBytes {
                    cutBack(at: outcome.firstQuotedNewline, into: &record)
                    return true
                }
                if end - pos > dialect.maxLineBytes { return stopTooLong() }
                refill()
                continue
            }
            if record.rawEnd - record.rawStart > dialect.maxLineBytes { return stopTooLong() }
            // A line of only spaces and tabs in a file of several columns is a blank line, as in
            // JSON Lines (an editor's or an export's stray indentation, not a record of one field).
            // So is a line of only delimiters (and spaces): the empty rows a spreadsheet saves
            // (`;;;;;;;`), which hold no value to read.
            if expectedFields > 1, record.error == nil,
                isSpacesOnly(from: record.rawStart, to: record.rawEnd, orDelimiters: record.spans.count > 1)
            {
                line += 1 + outcome.newlines
                pos = outcome.next
                continue
            }
            if record.error == nil && expectedFields > 0 && record.spans.count != expectedFields {
                record.error = .wrongFieldCount(expected: expectedFields, found: record.spans.count)
            }
            if let error = record.error, error.isStructural, outcome.firstQuotedNewline >= 0 {
                cutBack(at: outcome.firstQuotedNewline, into: &record)
                return true
            }
            if record.error == nil && bufferHasNonASCII {
                validateText(of: &record)
            }
            record.line = line
            line += 1 + outcome.newlines
            pos = outcome.next
            return true
        }
    }

    /// Whether the buffer's bytes in `start..<end` are all spaces and tabs (and delimiters, with
    /// `orDelimiters`).
    private func isSpacesOnly(from start: Int, to end: Int, orDelimiters: Bool = false) -> Bool {
        var i = start
        while i < end {
            let b = storage.base[i]
            guard b == 0x20 || b == 0x09 || b == 0x0D || (orDelimiters && b == delimiter) else { return false }
            i += 1
        }
        return true
    }

    /// Ends reading at a record longer than `dialect.maxLineBytes` (see `readError`).
    private func stopTooLong() -> Bool {
        readError = .recordTooLong(path: path, line: line, limit: dialect.maxLineBytes)
        eof = true
        pos = 0
        end = 0
        return false
    }

    /// Reports the record at `pos` as ending at the line end `lineEnd` and resumes after it.
    private func cutBack(at lineEnd: Int, into record: inout CSVRecord) {
        var lineEnd = lineEnd
        if storage.base[lineEnd] == 0x0D && lineEnd + 1 == end && !eof {
            // See whether an LF follows so CRLF stays one line end.
            let offset = lineEnd - pos
            refill()
            lineEnd = pos + offset
        }
        _ = parse(from: pos, limit: lineEnd, atEOF: true, into: &record)
        if record.error == nil { record.error = .unterminatedQuote }
        record.line = line
        line += 1
        let crlf = storage.base[lineEnd] == 0x0D && lineEnd + 1 < end && storage.base[lineEnd + 1] == 0x0A
        pos = lineEnd + (crlf ? 2 : 1)
    }

    /// Sets `invalidUTF8` on the first field that is not valid UTF-8.
    private func validateText(of record: inout CSVRecord) {
        let rawBase = storage.base + record.rawStart
        if TextDecoding.isASCII(rawBase, count: record.rawEnd - record.rawStart) { return }
        for i in 0..<record.spans.count {
            let field = record.bytes(i)
            if let base = field.baseAddress, !TextDecoding.isValidUTF8(base, count: field.count) {
                record.error = .invalidUTF8(field: i + 1)
                return
            }
        }
    }

    /// Moves the unread bytes to the front of the buffer and reads more after them; grows the
    /// buffer when a single record fills over half of it.
    private func refill() {
        guard !eof else { return }
        if pos > 0 {
            let pending = end - pos
            if pending > 0 { memmove(storage.base, storage.base + pos, pending) }
            pos = 0
            end = pending
            bufferHasNonASCII = pending > 0 && !TextDecoding.isASCII(storage.base, count: pending)
        }
        if end > storage.capacity / 2 || storage.capacity - end < 64 {
            storage.grow(to: storage.capacity * 2, keeping: end)
        }
        do {
            let n = try source.fill(storage.base + end, capacity: storage.capacity - end)
            if n == 0 {
                eof = true
                return
            }
            if !bufferHasNonASCII && !TextDecoding.isASCII(storage.base + end, count: n) {
                bufferHasNonASCII = true
            }
            end += n
        } catch {
            readError = error
            eof = true
        }
    }

    /// Where one parse attempt ended.
    private struct Outcome {
        /// False when the buffer ended inside the record and more input is needed.
        var complete: Bool
        /// Index just past the record's line end.
        var next: Int
        /// Line ends inside quoted fields.
        var newlines: Int
        /// Index of the first line end inside a quoted field, or -1.
        var firstQuotedNewline: Int
    }

    /// Parses one record starting at `start` (not a blank line) from bytes before `limit`;
    /// `atEOF` says nothing follows `limit`. Fills `record`'s spans, raw range and error.
    private func parse(from start: Int, limit: Int, atEOF: Bool, into record: inout CSVRecord) -> Outcome {
        let p = storage.base
        let quote = UInt8(ascii: "\"")
        let cr: UInt8 = 0x0D
        let lf: UInt8 = 0x0A
        let delimiter = self.delimiter
        let unquotedStop = self.unquotedStop
        let quotedStop = self.quotedStop
        record.spans.removeAll(keepingCapacity: true)
        storage.scratchCount = 0
        var error: CSVRecordError?
        var newlines = 0
        var firstQuotedNewline = -1
        var i = start
        var field = 1

        func incomplete() -> Outcome {
            Outcome(complete: false, next: start, newlines: newlines, firstQuotedNewline: firstQuotedNewline)
        }
        func complete(next: Int, rawEnd: Int) -> Outcome {
            record.rawStart = start
            record.rawEnd = rawEnd
            record.error = error
            return Outcome(complete: true, next: next, newlines: newlines, firstQuotedNewline: firstQuotedNewline)
        }

        while true {
            if i < limit && p[i] == quote {
                i += 1
                let contentStart = i
                var escaped = false
                var closed = false
                while true {
                    i = Self.nextStop(p, from: i, limit: limit, quotedStop)
                    guard i < limit else { break }
                    let c = p[i]
                    if c == quote {
                        if i + 1 < limit {
                            if p[i + 1] == quote {
                                escaped = true
                                i += 2
                                continue
                            }
                            closed = true
                            break
                        }
                        if atEOF {
                            closed = true
                            break
                        }
                        return incomplete()
                    }
                    // CR, or LF not completing a CRLF (p[i - 1] is at worst the opening quote).
                    if c == cr || p[i - 1] != cr {
                        newlines += 1
                        if firstQuotedNewline < 0 { firstQuotedNewline = i }
                    }
                    i += 1
                }
                if !closed {
                    if !atEOF { return incomplete() }
                    if error == nil { error = .unterminatedQuote }
                    appendField(contentStart, limit, escaped: escaped, to: &record)
                    return complete(next: limit, rawEnd: limit)
                }
                appendField(contentStart, i, escaped: escaped, to: &record)
                i += 1
                if i < limit {
                    let c = p[i]
                    if c != delimiter && c != cr && c != lf {
                        if error == nil { error = .textAfterClosingQuote(field: field) }
                        while i < limit {
                            let c = p[i]
                            if c == delimiter || c == cr || c == lf { break }
                            i += 1
                        }
                        if i >= limit && !atEOF { return incomplete() }
                    }
                } else if !atEOF {
                    return incomplete()
                }
            } else {
                let fieldStart = i
                while true {
                    i = Self.nextStop(p, from: i, limit: limit, unquotedStop)
                    guard i < limit, p[i] == quote else { break }
                    if error == nil { error = .strayQuote(field: field) }
                    i += 1
                }
                if i >= limit && !atEOF { return incomplete() }
                record.spans.append(CSVRecord.Span(start: fieldStart, count: i - fieldStart, inScratch: false))
            }
            if i >= limit { return complete(next: limit, rawEnd: limit) }
            let c = p[i]
            if c == delimiter {
                i += 1
                field += 1
                continue
            }
            if c == lf { return complete(next: i + 1, rawEnd: i) }
            if i + 1 < limit { return complete(next: p[i + 1] == lf ? i + 2 : i + 1, rawEnd: i) }
            if atEOF { return complete(next: i + 1, rawEnd: i) }
            return incomplete()
        }
    }

    /// The index of the first byte from `i` before `limit` that `stops` marks, or `limit`.
    @inline(__always)
    private static func nextStop(
        _ p: UnsafeMutablePointer<UInt8>, from i: Int, limit: Int, _ stops: UnsafeMutablePointer<Bool>
    ) -> Int {
        var i = i
        while i < limit && !stops[Int(p[i])] { i += 1 }
        return i
    }

    /// Records a quoted field's content `[from, to)`, unescaping `""` into scratch when needed.
    private func appendField(_ from: Int, _ to: Int, escaped: Bool, to record: inout CSVRecord) {
        guard escaped else {
            record.spans.append(CSVRecord.Span(start: from, count: to - from, inScratch: false))
            return
        }
        storage.reserveScratch(to - from)
        let p = storage.base
        let out = storage.scratch
        let start = storage.scratchCount
        var o = start
        var i = from
        while i < to {
            let c = p[i]
            out[o] = c
            o += 1
            i += c == UInt8(ascii: "\"") && i + 1 < to && p[i + 1] == c ? 2 : 1
        }
        storage.scratchCount = o
        record.spans.append(CSVRecord.Span(start: start, count: o - start, inScratch: true))
    }
}
