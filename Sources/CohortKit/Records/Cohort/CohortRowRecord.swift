/// A row of one of cohort's JSON Lines outputs, written whole by its record (docs/stages.md#cohort).
public protocol CohortRowRecord {
    /// Appends this row's members in the output's key order.
    func write(to line: JSONLineBuilder)
}

extension CohortRowRecord {
    /// Writes this record as the next line of `w`.
    public func append(to w: JSONLWriter) throws {
        w.begin()
        write(to: w.line)
        try w.end()
    }
}
