/// One row of ingest's rejects.jsonl: an input row that was not accepted, with the field, value
/// and reason (docs/stages.md#ingest).
public struct RejectRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "rejects"
    /// Every member is always written: version 1 still (`reason_group` was added to it; a file
    /// without it reads each row's reason as its group).
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    public enum Key {
        public static let source: StaticString = "source"
        public static let line: StaticString = "line"
        public static let field: StaticString = "field"
        public static let value: StaticString = "value"
        public static let reason: StaticString = "reason"
        public static let reasonGroup: StaticString = "reason_group"
        public static let raw: StaticString = "raw"
    }
    /// The keys in the order they are written.
    public static let keys = [Key.source, Key.line, Key.field, Key.value, Key.reason, Key.reasonGroup, Key.raw].map(
        \.description)

    /// The source's name (customers, subscriptions, cancellations, events).
    public var source: String
    public var line: Int
    /// The canonical field, or `(row)` when the whole row is unreadable.
    public var field: String
    public var value: String
    public var reason: String
    /// The reason without the row's own values ("negative amount" for "negative amount -9800"),
    /// which the manifest's and the report's top reasons count by; the reason itself when it
    /// names no value.
    public var reasonGroup: String
    /// The row as read.
    public var raw: String

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.member(Key.source, source)
        line.member(Key.line, self.line)
        line.member(Key.field, field)
        line.member(Key.value, value)
        line.member(Key.reason, reason)
        line.member(Key.reasonGroup, reasonGroup)
        line.member(Key.raw, raw)
    }
}

extension RejectRecord {
    /// Reads the current line of `r` (absent members read as empty, an absent group as the reason).
    public init(reading r: JSONLReader) {
        let reason = r.string(Key.reason) ?? ""
        self.init(
            source: r.string(Key.source) ?? "", line: Int(r.int(Key.line) ?? 0), field: r.string(Key.field) ?? "",
            value: r.string(Key.value) ?? "", reason: reason, reasonGroup: r.string(Key.reasonGroup) ?? reason,
            raw: r.string(Key.raw) ?? "")
    }
}
