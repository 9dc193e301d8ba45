/// One row of churn-attribution's phases.jsonl: how many customers of a cohort (or all) and
/// channel (or all) got through activation, adoption and expansion (docs/metrics.md#success-phases).
public struct PhaseRecord: JSONLReadableRecord, Codable, Equatable, RecordCodedByHand, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "phases"
    public static let schemaVersion = 1

    /// Reached and eligible customers of one phase in one cell.
    public struct Phase: Equatable, Sendable {
        public var customers = 0
        public var reached = 0
        public var rate: Double? { customers == 0 ? nil : Double(reached) / Double(customers) }
    }

    /// Nil for the `(all)` row over every cohort.
    @CohortOrAll public var cohort: Month?
    public var channel: String
    public var customers = 0
    /// Nil when no activation event is configured (adoption uses the same event).
    public var activation: Phase?
    public var adoption: Phase?
    public var expansion = Phase()

    /// The cohort as written: `YYYY-MM` or `(all)`.
    var cohortText: String { _cohort.text }

    /// Each phase is three members named after it: eligible customers, reached, rate.
    private enum CodingKeys: CodingKey {
        case cohort, channel, customers
        case activationCustomers, activated, activationRate
        case adoptionCustomers, adopted, adoptionRate
        case expansionCustomers, expanded, expansionRate
    }

    /// Writes the cohort, channel and customers, then each phase's three members (null for a
    /// phase that is nil).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(_cohort, forKey: .cohort)
        try c.encode(channel, forKey: .channel)
        try c.encode(customers, forKey: .customers)
        for (p, keys) in [
            (activation, (CodingKeys.activationCustomers, CodingKeys.activated, CodingKeys.activationRate)),
            (adoption, (.adoptionCustomers, .adopted, .adoptionRate)),
            (expansion, (.expansionCustomers, .expanded, .expansionRate)),
        ] {
            try c.encodeIfPresent(p?.customers, forKey: keys.0)
            try c.encodeIfPresent(p?.reached, forKey: keys.1)
            try c.encodeIfPresent(p?.rate, forKey: keys.2)
        }
    }
}

extension PhaseRecord {
    /// Reads a row: a phase whose counts are missing or null is nil (expansion then reads as 0
    /// of 0); a cohort that is neither `YYYY-MM` nor `(all)` is a data error.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func phase(_ eligible: CodingKeys, _ reached: CodingKeys) throws -> Phase? {
            guard let n = try c.decodeIfPresent(Int.self, forKey: eligible),
                let k = try c.decodeIfPresent(Int.self, forKey: reached)
            else { return nil }
            return Phase(customers: n, reached: k)
        }
        self.init(
            cohort: try c.decode(CohortOrAll.self, forKey: .cohort).wrappedValue,
            channel: try c.decode(String.self, forKey: .channel), customers: try c.decode(Int.self, forKey: .customers),
            activation: try phase(.activationCustomers, .activated), adoption: try phase(.adoptionCustomers, .adopted),
            expansion: try phase(.expansionCustomers, .expanded) ?? Phase())
    }
}
