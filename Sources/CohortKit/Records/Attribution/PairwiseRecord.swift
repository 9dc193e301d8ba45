/// One row of churn-attribution's pairwise.jsonl: a two-value log-rank test within a dimension,
/// with its Holm-adjusted p-value (docs/metrics.md#segments).
public struct PairwiseRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "pairwise"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
        static let a: StaticString = "a"
        static let b: StaticString = "b"
        static let statistic: StaticString = "statistic"
        static let pHolm: StaticString = "p_holm"
    }

    public var dimension: String
    public var a: String
    public var b: String
    public var statistic: Double?
    public var pValue: Double?
    /// Nil when the pair has no p-value (it then takes no part in the adjustment).
    public var pHolm: Double?

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.field(Key.dimension, dimension)
        line.field(Key.a, a)
        line.field(Key.b, b)
        line.field(Key.statistic, statistic)
        line.field(Key.pValue, pValue)
        line.field(Key.pHolm, pHolm)
    }

}

extension PairwiseRecord {
    /// Reads the current line of `r` (missing text as "", missing or null numbers as nil).
    public init(reading r: JSONLReader) {
        self.init(
            dimension: r.text(Key.dimension), a: r.text(Key.a), b: r.text(Key.b),
            statistic: r.double(Key.statistic), pValue: r.double(Key.pValue), pHolm: r.double(Key.pHolm))
    }
}
