/// The text encoding of a source file.
public enum TextEncoding: Sendable { case utf8, shiftJIS }

/// How a CSV source is written: its delimiter and encoding.
public struct CSVDialect: Sendable {
    public var delimiter: UInt8 = UInt8(ascii: ",")
    public var encoding: TextEncoding = .utf8
    public init(delimiter: UInt8 = UInt8(ascii: ","), encoding: TextEncoding = .utf8) {
        self.delimiter = delimiter
        self.encoding = encoding
    }
}
