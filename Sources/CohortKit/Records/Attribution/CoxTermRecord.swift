/// One row of churn-attribution's cox.jsonl: a level's term in the Cox model, against its
/// dimension's reference level (docs/metrics.md#cox-model).
public struct CoxTermRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "cox"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
        static let reference: StaticString = "reference"
        static let coef: StaticString = "coef"
        static let se: StaticString = "se"
        static let z: StaticString = "z"
    }

    public var dimension: String
    public var level: String
    public var reference: String
    public var coef: Double?
    public var se: Double?
    public var hazardRatio: Double?
    public var ciLower: Double?
    public var ciUpper: Double?
    public var z: Double?
    public var pValue: Double?

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.field(Key.dimension, dimension)
        line.field(Key.level, level)
        line.field(Key.reference, reference)
        line.field(Key.coef, coef)
        line.field(Key.se, se)
        line.field(Key.hazardRatio, hazardRatio)
        line.field(Key.ciLower, ciLower)
        line.field(Key.ciUpper, ciUpper)
        line.field(Key.z, z)
        line.field(Key.pValue, pValue)
    }

}

extension CoxTermRecord {
    /// Reads the current line of `r` (missing text as "", missing or null numbers as nil).
    public init(reading r: JSONLReader) {
        self.init(
            dimension: r.text(Key.dimension), level: r.text(Key.level),
            reference: r.text(Key.reference), coef: r.double(Key.coef), se: r.double(Key.se),
            hazardRatio: r.double(Key.hazardRatio), ciLower: r.double(Key.ciLower), ciUpper: r.double(Key.ciUpper),
            z: r.double(Key.z), pValue: r.double(Key.pValue))
    }
}
