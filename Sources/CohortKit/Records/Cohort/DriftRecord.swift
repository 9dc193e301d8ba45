/// One row of cohort's drift.jsonl: a cohort whose newest cell fell below its predecessors' band
/// (docs/metrics.md#drift-alerts).
public struct DriftRecord: JSONLRecord, CohortCellRow, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "drift"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
        static let bandLower: StaticString = "band_lower"
        static let predecessorsRetention: StaticString = "predecessors_retention"
        static let predecessors: StaticString = "predecessors"
    }

    public var cohort: String
    public var channel: String
    public var offset: Int
    public var logoRetention: Double?
    public var bandLower: Double?
    public var predecessorsRetention: Double?
    public var predecessors: Int

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        writeCell(to: line)
        line.field(Key.logoRetention, logoRetention)
        line.field(Key.bandLower, bandLower)
        line.field(Key.predecessorsRetention, predecessorsRetention)
        line.field(Key.predecessors, predecessors)
    }
}

extension DriftRecord {
    /// Reads the current line of `r` (missing text "", missing numbers 0 or nil).
    public init(reading r: JSONLReader) {
        self.init(
            cohort: r.text(Key.cohort), channel: r.text(Key.channel), offset: r.count(Key.offset),
            logoRetention: r.double(Key.logoRetention), bandLower: r.double(Key.bandLower),
            predecessorsRetention: r.double(Key.predecessorsRetention), predecessors: r.count(Key.predecessors))
    }
}
