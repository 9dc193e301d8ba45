/// Writes CSV records into a `ByteBuffer`, quoting fields only where needed.
///
/// A field is quoted when it holds the delimiter, a quote, CR or LF, and inner quotes are
/// doubled (RFC 4180), so `CSVReader` with the same delimiter reads back exactly what was written.
/// A record of one empty field is written as `""`, since an empty line would read as blank.
///
/// With `guardFormulas`, a field starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`
/// so a spreadsheet shows it as text instead of evaluating it (OWASP's CSV-injection guidance).
/// This changes values (`-5` becomes `'-5`): use it only for files meant to be opened in a
/// spreadsheet, never for files the pipeline reads back.
public struct CSVWriter: Sendable {
    /// How records end.
    public enum LineEnding: Sendable {
        case lf
        case crlf
        case cr

        func append(to buffer: ByteBuffer) {
            switch self {
            case .lf: buffer.append(0x0A)
            case .crlf:
                buffer.append(0x0D)
                buffer.append(0x0A)
            case .cr: buffer.append(0x0D)
            }
        }
    }

    /// The byte between fields.
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// What ends each record.
    public var lineEnding: LineEnding = .lf
    /// Whether to defuse fields a spreadsheet would read as a formula.
    public var guardFormulas: Bool = false

    /// Appends one record (fields, delimiters and the line end) to `buffer`.
    public func appendRecord<Fields: Sequence>(_ fields: Fields, to buffer: ByteBuffer)
    where Fields.Element: StringProtocol {
        var count = 0
        var lastWasEmpty = false
        for field in fields {
            if count > 0 { buffer.append(delimiter) }
            appendField(field, to: buffer)
            lastWasEmpty = field.isEmpty
            count += 1
        }
        if count == 1 && lastWasEmpty {
            buffer.append(UInt8(ascii: "\""))
            buffer.append(UInt8(ascii: "\""))
        }
        lineEnding.append(to: buffer)
    }

    /// Appends one field, quoted if needed, with no delimiter or line end.
    public func appendField<Field: StringProtocol>(_ field: Field, to buffer: ByteBuffer) {
        let utf8 = field.utf8
        let quote = UInt8(ascii: "\"")
        let guarded: Bool
        if guardFormulas, let first = utf8.first {
            switch first {
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: guarded = true
            default: guarded = false
            }
        } else {
            guarded = false
        }
        let needsQuotes = utf8.contains { $0 == delimiter || $0 == quote || $0 == 0x0A || $0 == 0x0D }
        if needsQuotes { buffer.append(quote) }
        if guarded { buffer.append(UInt8(ascii: "'")) }
        if needsQuotes {
            for byte in utf8 {
                if byte == quote { buffer.append(quote) }
                buffer.append(byte)
            }
            buffer.append(quote)
        } else {
            buffer.append(contentsOf: utf8)
        }
    }
}
