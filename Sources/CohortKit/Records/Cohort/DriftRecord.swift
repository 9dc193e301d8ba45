/// One row of cohort's drift.jsonl: a cohort whose newest cell fell below its predecessors' band
/// (docs/metrics.md#drift-alerts).
public struct DriftRecord: CohortRowRecord, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "drift"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let cohort: StaticString = "cohort"
        static let channel: StaticString = "channel"
        static let offset: StaticString = "offset"
        static let logoRetention: StaticString = "logo_retention"
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

    public init(
        cohort: String, channel: String, offset: Int, logoRetention: Double?, bandLower: Double?,
        predecessorsRetention: Double?, predecessors: Int
    ) {
        self.cohort = cohort
        self.channel = channel
        self.offset = offset
        self.logoRetention = logoRetention
        self.bandLower = bandLower
        self.predecessorsRetention = predecessorsRetention
        self.predecessors = predecessors
    }

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.key(Key.cohort)
        line.string(cohort)
        line.key(Key.channel)
        line.string(channel)
        line.key(Key.offset)
        line.int(offset)
        line.key(Key.logoRetention)
        line.double(logoRetention)
        line.key(Key.bandLower)
        line.double(bandLower)
        line.key(Key.predecessorsRetention)
        line.double(predecessorsRetention)
        line.key(Key.predecessors)
        line.int(predecessors)
    }

    /// Reads the current line of `r` (missing text "", missing numbers 0 or nil).
    public init(reading r: JSONLReader) {
        cohort = r.string(Key.cohort) ?? ""
        channel = r.string(Key.channel) ?? ""
        offset = Int(r.int(Key.offset) ?? 0)
        logoRetention = r.double(Key.logoRetention)
        bandLower = r.double(Key.bandLower)
        predecessorsRetention = r.double(Key.predecessorsRetention)
        predecessors = Int(r.int(Key.predecessors) ?? 0)
    }
}
