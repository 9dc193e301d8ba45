/// One row of churn-attribution's cox.jsonl: a level's term in the Cox model, against its
/// dimension's reference level (docs/metrics.md#cox-model).
public struct CoxTermRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "cox"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let dimension: StaticString = "dimension"
        static let level: StaticString = "level"
        static let reference: StaticString = "reference"
        static let coef: StaticString = "coef"
        static let se: StaticString = "se"
        static let hazardRatio: StaticString = "hazard_ratio"
        static let ciLower: StaticString = "ci_lower"
        static let ciUpper: StaticString = "ci_upper"
        static let z: StaticString = "z"
        static let pValue: StaticString = "p_value"
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

    public init(
        dimension: String, level: String, reference: String, coef: Double?, se: Double?, hazardRatio: Double?,
        ciLower: Double?, ciUpper: Double?, z: Double?, pValue: Double?
    ) {
        self.dimension = dimension
        self.level = level
        self.reference = reference
        self.coef = coef
        self.se = se
        self.hazardRatio = hazardRatio
        self.ciLower = ciLower
        self.ciUpper = ciUpper
        self.z = z
        self.pValue = pValue
    }

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.key(Key.dimension)
        line.string(dimension)
        line.key(Key.level)
        line.string(level)
        line.key(Key.reference)
        line.string(reference)
        line.key(Key.coef)
        line.double(coef)
        line.key(Key.se)
        line.double(se)
        line.key(Key.hazardRatio)
        line.double(hazardRatio)
        line.key(Key.ciLower)
        line.double(ciLower)
        line.key(Key.ciUpper)
        line.double(ciUpper)
        line.key(Key.z)
        line.double(z)
        line.key(Key.pValue)
        line.double(pValue)
    }

    /// Reads the current line of `r` (missing text as "", missing or null numbers as nil).
    public init(reading r: JSONLReader) {
        self.init(
            dimension: r.string(Key.dimension) ?? "", level: r.string(Key.level) ?? "",
            reference: r.string(Key.reference) ?? "", coef: r.double(Key.coef), se: r.double(Key.se),
            hazardRatio: r.double(Key.hazardRatio), ciLower: r.double(Key.ciLower), ciUpper: r.double(Key.ciUpper),
            z: r.double(Key.z), pValue: r.double(Key.pValue))
    }
}
