/// One row of ingest's events.jsonl: an accepted product event of a known customer, dated in the
/// source's time zone (docs/stages.md#ingest).
///
/// Event files run to millions of rows: ingest streams each row through `write(to:)` from the
/// writer's thread, and churn-attribution reads the members it needs by `Key`.
public struct EventRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "events"
    /// 2: a null field is omitted (`user_id`).
    public static let schemaVersion = 2
    /// The JSON keys, spelled here and nowhere else.
    public enum Key {
        public static let customerId: StaticString = "customer_id"
        public static let date: StaticString = "date"
        public static let event: StaticString = "event"
        public static let userId: StaticString = "user_id"
    }
    /// The keys in the order they are written.
    public static let keys = [Key.customerId, Key.date, Key.event, Key.userId].map(\.description)

    public var customerId: String
    public var date: Day
    public var event: String
    public var userId: String?

    /// Appends this row's members in the output's key order (null fields omitted).
    @inlinable public func write(to line: JSONLineBuilder) {
        Self.write(to: line, customerId: customerId, date: date, event: event, userId: userId)
    }

    /// A row's members in the output's key order, null fields omitted: the one spelling of a row,
    /// for the record and for ingest's packed rows (`PackedEventRows`), whose text is bytes.
    @inlinable static func write<Text: JSONLineValue>(
        to line: JSONLineBuilder, customerId: Text, date: Day, event: Text, userId: Text?
    ) {
        line.member(Key.customerId, customerId)
        line.member(Key.date, date)
        line.member(Key.event, event)
        line.member(Key.userId, omittingNull: userId)
    }
}

extension EventRecord {
    /// Reads the current line of `r` (an absent or null `user_id` is nil).
    public init(reading r: JSONLReader) throws {
        guard r.lineError == nil, let cid = r.string(Key.customerId), let d = r.day(Key.date),
            let ev = r.string(Key.event)
        else {
            throw InputError.malformedFile(
                path: r.path, line: r.lineNumber, reason: r.lineError ?? "missing customer_id, date or event")
        }
        self.init(customerId: cid, date: d, event: ev, userId: r.string(Key.userId))
    }
}
