/// One row of churn-attribution's phases.jsonl: how many customers of a cohort (or all) and
/// channel (or all) got through activation, adoption and expansion (docs/metrics.md#success-phases).
public struct PhaseRecord: AttributionCohortRow, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "phases"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
        static let activationCustomers: StaticString = "activation_customers"
        static let adoptionCustomers: StaticString = "adoption_customers"
        static let adopted: StaticString = "adopted"
        static let adoptionRate: StaticString = "adoption_rate"
        static let expansionCustomers: StaticString = "expansion_customers"
        static let expanded: StaticString = "expanded"
        static let expansionRate: StaticString = "expansion_rate"
    }

    /// Reached and eligible customers of one phase in one cell.
    public struct Phase: Equatable, Sendable {
        public var customers = 0
        public var reached = 0
        public var rate: Double? { customers == 0 ? nil : Double(reached) / Double(customers) }
    }

    /// Nil for the `(all)` row over every cohort.
    public var cohort: Month?
    public var channel: String
    public var customers = 0
    /// Nil when no activation event is configured (adoption uses the same event).
    public var activation: Phase?
    public var adoption: Phase?
    public var expansion = Phase()

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        writeCohortChannelCustomers(to: line)
        func phase(_ p: Phase?, _ denominator: StaticString, _ reached: StaticString, _ rate: StaticString) {
            line.key(denominator)
            line.int(p?.customers)
            line.key(reached)
            line.int(p?.reached)
            line.key(rate)
            line.double(p?.rate)
        }
        phase(activation, Key.activationCustomers, Key.activated, Key.activationRate)
        phase(adoption, Key.adoptionCustomers, Key.adopted, Key.adoptionRate)
        phase(expansion, Key.expansionCustomers, Key.expanded, Key.expansionRate)
    }

}

extension PhaseRecord {
    /// Reads the current line of `r`: a phase whose counts are missing or null is nil (expansion
    /// then reads as 0 of 0); a cohort that is neither `YYYY-MM` nor `(all)` is a data error.
    public init(reading r: JSONLReader) throws {
        func phase(_ d: StaticString, _ n: StaticString) -> Phase? {
            guard let c = r.int(d), let k = r.int(n) else { return nil }
            return Phase(customers: Int(c), reached: Int(k))
        }
        self.init(
            cohort: try AttributionCohortText.month(r), channel: r.text(Key.channel),
            customers: r.count(Key.customers),
            activation: phase(Key.activationCustomers, Key.activated),
            adoption: phase(Key.adoptionCustomers, Key.adopted),
            expansion: phase(Key.expansionCustomers, Key.expanded) ?? Phase())
    }
}
