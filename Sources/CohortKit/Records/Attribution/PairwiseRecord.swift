/// One row of churn-attribution's pairwise.jsonl: a two-value log-rank test within a dimension,
/// with its Holm-adjusted p-value (docs/metrics.md#segments).
public struct PairwiseRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "pairwise"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let dimension: StaticString = "dimension"
        static let a: StaticString = "a"
        static let b: StaticString = "b"
        static let statistic: StaticString = "statistic"
        static let pValue: StaticString = "p_value"
        static let pHolm: StaticString = "p_holm"
    }

    public var dimension: String
    public var a: String
    public var b: String
    public var statistic: Double?
    public var pValue: Double?
    /// Nil when the pair has no p-value (it then takes no part in the adjustment).
    public var pHolm: Double?

    public init(dimension: String, a: String, b: String, statistic: Double?, pValue: Double?, pHolm: Double?) {
        self.dimension = dimension
        self.a = a
        self.b = b
        self.statistic = statistic
        self.pValue = pValue
        self.pHolm = pHolm
    }

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.key(Key.dimension)
        line.string(dimension)
        line.key(Key.a)
        line.string(a)
        line.key(Key.b)
        line.string(b)
        line.key(Key.statistic)
        line.double(statistic)
        line.key(Key.pValue)
        line.double(pValue)
        line.key(Key.pHolm)
        line.double(pHolm)
    }

    /// Reads the current line of `r` (missing text as "", missing or null numbers as nil).
    public init(reading r: JSONLReader) {
        self.init(
            dimension: r.string(Key.dimension) ?? "", a: r.string(Key.a) ?? "", b: r.string(Key.b) ?? "",
            statistic: r.double(Key.statistic), pValue: r.double(Key.pValue), pHolm: r.double(Key.pHolm))
    }
}
