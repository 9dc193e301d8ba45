/// One row of ingest's cancellations.jsonl: an accepted cancellation of a known customer
/// (docs/stages.md#ingest).
public struct CancellationRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "cancellations"
    /// 2: a null field is omitted (`reason`, `comment`).
    public static let schemaVersion = 2
    /// The JSON keys, spelled here and nowhere else.
    public enum Key {
        public static let customerId: StaticString = "customer_id"
        public static let date: StaticString = "date"
        public static let reason: StaticString = "reason"
        public static let comment: StaticString = "comment"
        public static let line: StaticString = "line"
    }
    /// The keys in the order they are written.
    public static let keys = [Key.customerId, Key.date, Key.reason, Key.comment, Key.line].map(\.description)

    public var customerId: String
    public var date: Day
    public var reason: String?
    public var comment: String?
    /// The row's line in the source file.
    public var line: Int

    /// Appends this row's members in the output's key order (null fields omitted).
    @inlinable public func write(to line: JSONLineBuilder) {
        line.member(Key.customerId, customerId)
        line.member(Key.date, date)
        line.member(Key.reason, omittingNull: reason)
        line.member(Key.comment, omittingNull: comment)
        line.member(Key.line, self.line)
    }
}

extension CancellationRecord {
    /// Reads the current line of `r` (absent or null optional fields are nil).
    public init(reading r: JSONLReader) throws {
        guard r.lineError == nil, let cid = r.string(Key.customerId), let d = r.day(Key.date) else {
            throw InputError.malformedFile(
                path: r.path, line: r.lineNumber, reason: r.lineError ?? "missing customer_id or date")
        }
        self.init(
            customerId: cid, date: d, reason: r.string(Key.reason), comment: r.string(Key.comment),
            line: Int(r.int(Key.line) ?? 0))
    }
}
