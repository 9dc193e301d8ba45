/// The JSON keys that a hand-written record (at_risk.jsonl's, written member by member for its
/// million rows) shares with the records the record codec writes: `mrr_minor`.
protocol SharedRecordKeys {}

extension SharedRecordKeys {
    static var mrrMinor: StaticString { "mrr_minor" }
}

/// A cohort × channel × offset cell's coordinates, as the cohort records that place a cell
/// (triangle, projections) open with them.
enum CohortCell {
    /// Whether `r`'s current line has all three coordinates (a row without one places no cell).
    static func isPlaced(_ r: JSONLReader) -> Bool {
        r.string("cohort") != nil && r.string("channel") != nil && r.int("offset") != nil
    }
}

extension JSONLineBuilder {
    /// Appends one member: `key` and its value (so each member of a hand-written record is one line).
    func field(_ key: StaticString, _ v: String) {
        self.key(key)
        string(v)
    }
    func field<I: BinaryInteger>(_ key: StaticString, _ v: I) {
        self.key(key)
        int(v)
    }
    func field(_ key: StaticString, _ v: Double?) {
        self.key(key)
        double(v)
    }
}

extension JSONLReader {
    /// The amount in minor units under `key`, 0 when missing.
    func minor(_ key: StaticString) -> Int64 { int(key) ?? 0 }
    /// The month (`YYYY-MM`) under `key`, nil when missing or not a month.
    func month(_ key: StaticString) -> Month? { string(key).flatMap(Month.init(iso:)) }
}
