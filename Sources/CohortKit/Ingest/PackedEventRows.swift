/// One event row of a `PackedEventRows` batch.
struct PackedEventRow {
    typealias Text = PackedTexts.Text
    var customerId: Text
    var date: Day
    var event: Text
    /// Absent when the source's value is empty or absent.
    var userId: Text
}

typealias PackedEventRows = PackedRowBatch<PackedEventRow>

extension PackedRowBatch where Row == PackedEventRow {
    /// Writes row `i` as the next line of `w`, exactly as its `EventRecord` would be.
    func write(_ i: Int, to w: JSONLWriter) throws {
        let r = rows[i]
        let field: (Text) -> UTF8Text? = texts.field
        w.begin()
        EventRecord.write(
            to: w.line, customerId: field(r.customerId)!, date: r.date, event: field(r.event)!,
            userId: field(r.userId))
        try w.end()
    }
}
