/// One event row of a `PackedEventRows` batch.
struct PackedEventRow: PackedRow {
    typealias Text = PackedTexts.Text
    var customerId: Text
    var date: Day
    var event: Text
    /// Absent when the source's value is empty or absent.
    var userId: Text

    /// As its `EventRecord` would be written.
    static func write(_ r: Self, texts: PackedTexts, to line: JSONLineBuilder) {
        let field: (Text) -> UTF8Text? = texts.field
        EventRecord.write(
            to: line, customerId: field(r.customerId)!, date: r.date, event: field(r.event)!, userId: field(r.userId))
    }
}

typealias PackedEventRows = PackedRowBatch<PackedEventRow>
