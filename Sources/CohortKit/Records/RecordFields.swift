/// The JSON keys that more than one record of Records/ writes, spelled once here.
///
/// A record's `Key` enum conforms to take these as its own (`Key.cohort`), so every key stays a
/// compile-time constant and is still spelled nowhere outside Records/:
/// `cohort`, `channel`, `offset` (a cohort cell's coordinates), `month`, `customers`, `churned`,
/// `dimension`, `value`, `level`, `p_value`, `ci_lower`, `ci_upper`, `hazard_ratio`,
/// `logo_retention`, `revenue_retention`, `mrr_minor`, `mrr_start_minor`, `activated`,
/// `activation_rate`.
protocol SharedRecordKeys {}

extension SharedRecordKeys {
    static var cohort: StaticString { "cohort" }
    static var channel: StaticString { "channel" }
    static var offset: StaticString { "offset" }
    static var month: StaticString { "month" }
    static var customers: StaticString { "customers" }
    static var churned: StaticString { "churned" }
    static var dimension: StaticString { "dimension" }
    static var value: StaticString { "value" }
    static var level: StaticString { "level" }
    static var pValue: StaticString { "p_value" }
    static var ciLower: StaticString { "ci_lower" }
    static var ciUpper: StaticString { "ci_upper" }
    static var hazardRatio: StaticString { "hazard_ratio" }
    static var logoRetention: StaticString { "logo_retention" }
    static var revenueRetention: StaticString { "revenue_retention" }
    static var mrrMinor: StaticString { "mrr_minor" }
    static var mrrStartMinor: StaticString { "mrr_start_minor" }
    static var activated: StaticString { "activated" }
    static var activationRate: StaticString { "activation_rate" }
}

/// The keys of a cohort cell's coordinates alone.
enum CohortCellKey: SharedRecordKeys {}

/// A cohort × channel × offset cell's coordinates, as the cohort records that place a cell write
/// and read them (triangle, projections, drift).
struct CohortCell: Equatable, Sendable {
    var cohort: String
    var channel: String
    var offset: Int

    /// Reads the coordinates of `r`'s current line; nil when one is missing (such a row places no cell).
    init?(reading r: JSONLReader) {
        guard let cohort = r.string(CohortCellKey.cohort), let channel = r.string(CohortCellKey.channel),
            let offset = r.int(CohortCellKey.offset)
        else { return nil }
        self.init(cohort: cohort, channel: channel, offset: Int(offset))
    }

    init(cohort: String, channel: String, offset: Int) {
        self.cohort = cohort
        self.channel = channel
        self.offset = offset
    }
}

/// A record whose row opens with a cohort cell's coordinates.
protocol CohortCellRow {
    var cohort: String { get }
    var channel: String { get }
    var offset: Int { get }
}

extension CohortCellRow {
    /// Appends the cell's coordinates: `cohort`, `channel`, `offset`.
    func writeCell(to line: JSONLineBuilder) {
        line.field(CohortCellKey.cohort, cohort)
        line.field(CohortCellKey.channel, channel)
        line.field(CohortCellKey.offset, offset)
    }
}

extension JSONLineBuilder {
    /// Appends one member: `key` and its value (so each member of a record is one line).
    func field(_ key: StaticString, _ v: String) {
        self.key(key)
        string(v)
    }
    func field(_ key: StaticString, _ v: String?) {
        self.key(key)
        string(v)
    }
    func field<I: BinaryInteger>(_ key: StaticString, _ v: I) {
        self.key(key)
        int(v)
    }
    func field<I: BinaryInteger>(_ key: StaticString, _ v: I?) {
        self.key(key)
        int(v)
    }
    func field(_ key: StaticString, _ v: Double?) {
        self.key(key)
        double(v)
    }
    func field(_ key: StaticString, _ v: Bool) {
        self.key(key)
        bool(v)
    }
    func field(_ key: StaticString, _ v: Month?) {
        self.key(key)
        month(v)
    }
    func field(_ key: StaticString, _ v: Day?) {
        self.key(key)
        day(v)
    }
}

extension JSONLReader {
    /// The text under `key`, "" when missing.
    func text(_ key: StaticString) -> String { string(key) ?? "" }
    /// The count under `key`, 0 when missing.
    func count(_ key: StaticString) -> Int { Int(int(key) ?? 0) }
    /// The amount in minor units under `key`, 0 when missing.
    func minor(_ key: StaticString) -> Int64 { int(key) ?? 0 }
    /// The month (`YYYY-MM`) under `key`, nil when missing or not a month.
    func month(_ key: StaticString) -> Month? { string(key).flatMap(Month.init(iso:)) }
}
