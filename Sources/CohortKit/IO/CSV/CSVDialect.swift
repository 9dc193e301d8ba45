/// The character encoding of a CSV source file (`"encoding"` in a source entry).
public enum TextEncoding: String, Equatable, Sendable, CustomStringConvertible {
    /// UTF-8, with or without a byte-order mark.
    case utf8 = "utf-8"
    /// Shift_JIS as Japanese Excel writes it (read as CP932, its Windows superset).
    case shiftJIS = "shift_jis"

    public var description: String { rawValue }
}

/// How a CSV source is written: its delimiter and its encoding.
public struct CSVDialect: Equatable, Sendable {
    /// The byte separating fields: `,` by default, also `;` or tab in European exports.
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// The file's encoding; the reader converts it to UTF-8.
    public var encoding: TextEncoding = .utf8
    /// Longest a record may grow, in bytes, while a quoted field is open across lines before the
    /// opening quote is judged unterminated (see `CSVReader`). Bounds memory on broken files.
    public var maxRecordBytes: Int = 16 << 20
    /// Longest a record may be, in bytes: a longer one (a binary file, a device such as
    /// `/dev/zero`) ends reading with `CSVFileError.recordTooLong` instead of filling memory.
    public var maxLineBytes: Int = 256 << 20

    public init(delimiter: UInt8 = UInt8(ascii: ","), encoding: TextEncoding = .utf8) {
        self.delimiter = delimiter
        self.encoding = encoding
    }
}
