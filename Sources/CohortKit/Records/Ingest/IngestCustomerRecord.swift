/// One row of ingest's customers.jsonl: a distinct customer as read from the source
/// (docs/stages.md#ingest).
///
/// Ingest writes millions of these: it streams each row through `write(to:)` from the writer's
/// thread; normalize reads the members it needs by `Key` without building the record.
public struct IngestCustomerRecord: Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "customers"
    /// 2: a null field is omitted (`signup_date`, `acquisition_channel`).
    public static let schemaVersion = 2
    /// The JSON keys, spelled here and nowhere else.
    public enum Key {
        public static let customerId: StaticString = "customer_id"
        public static let signupDate: StaticString = "signup_date"
        public static let acquisitionChannel: StaticString = "acquisition_channel"
        public static let attributes: StaticString = "attributes"
        public static let line: StaticString = "line"
    }
    /// The keys in the order they are written.
    public static let keys = [Key.customerId, Key.signupDate, Key.acquisitionChannel, Key.attributes, Key.line].map(
        \.description)

    public var customerId: String
    public var signupDate: Day?
    /// nil when the source's value is empty or absent.
    public var acquisitionChannel: String?
    /// Every other column (or JSON key) of the source row, under its canonical name when mapped.
    public var attributes: [(key: String, value: String)]
    /// The row's line in the source file.
    public var line: Int

    /// Appends this row's members in the output's key order (null fields omitted).
    public func write(to line: JSONLineBuilder) {
        Self.write(
            to: line, customerId: customerId, signupDate: signupDate, acquisitionChannel: acquisitionChannel,
            lineNumber: self.line
        ) { line in
            for (k, v) in attributes {
                line.key(k)
                line.string(v)
            }
        }
    }

    /// Appends a row's members in the output's key order (null fields omitted), `attributes`
    /// writing the attributes object's members: the one spelling of this record, for `write(to:)`
    /// and for rows packed as bytes (`PackedCustomerRows`).
    @inline(__always)
    static func write<Text: JSONLineValue>(
        to line: JSONLineBuilder, customerId: Text, signupDate: Day?, acquisitionChannel: Text?, lineNumber: Int,
        attributes: (JSONLineBuilder) -> Void
    ) {
        line.member(Key.customerId, customerId)
        line.member(Key.signupDate, omittingNull: signupDate)
        line.member(Key.acquisitionChannel, omittingNull: acquisitionChannel)
        line.key(Key.attributes)
        line.beginObject()
        attributes(line)
        line.endObject()
        line.member(Key.line, lineNumber)
    }
}

extension IngestCustomerRecord: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        a.customerId == b.customerId && a.signupDate == b.signupDate && a.acquisitionChannel == b.acquisitionChannel
            && a.attributes.map(\.key) == b.attributes.map(\.key)
            && a.attributes.map(\.value) == b.attributes.map(\.value) && a.line == b.line
    }
}

extension IngestCustomerRecord {
    /// Reads the current line of `r` (absent or null optional fields are nil; attributes that are
    /// not strings are skipped, as ingest writes only strings).
    public init(reading r: JSONLReader) throws {
        guard r.lineError == nil, let id = r.string(Key.customerId) else {
            throw InputError.malformedFile(
                path: r.path, line: r.lineNumber, reason: r.lineError ?? "missing customer_id")
        }
        customerId = id
        signupDate = r.day(Key.signupDate)
        acquisitionChannel = r.string(Key.acquisitionChannel)
        attributes = []
        if case .object(let pairs)? = r.value(Key.attributes) {
            for (k, v) in pairs { if case .string(let s) = v { attributes.append((k, s)) } }
        }
        line = Int(r.int(Key.line) ?? 0)
    }
}
