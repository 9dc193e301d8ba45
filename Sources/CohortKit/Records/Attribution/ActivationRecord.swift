/// One row of churn-attribution's activation.jsonl: a cohort's (or all cohorts') activation in a
/// channel (or all), over the customers whose activation window has closed
/// (docs/metrics.md#activation).
public struct ActivationRecord: Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "activation"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let cohort: StaticString = "cohort"
        static let channel: StaticString = "channel"
        static let customers: StaticString = "customers"
        static let activated: StaticString = "activated"
        static let activationRate: StaticString = "activation_rate"
        static let windowOpen: StaticString = "window_open"
    }

    /// Nil for the `(all)` row over every cohort.
    public var cohort: Month?
    public var channel: String
    public var customers: Int
    public var activated: Int
    public var activationRate: Double?
    /// Converted customers left out because their window was still open at as_of.
    public var windowOpen: Int

    public init(
        cohort: Month?, channel: String, customers: Int, activated: Int, activationRate: Double?, windowOpen: Int
    ) {
        self.cohort = cohort
        self.channel = channel
        self.customers = customers
        self.activated = activated
        self.activationRate = activationRate
        self.windowOpen = windowOpen
    }

    /// The cohort as written: `YYYY-MM` or `(all)`.
    public var cohortText: String { cohort?.description ?? "(all)" }

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.key(Key.cohort)
        if let cohort { line.month(cohort) } else { line.string("(all)") }
        line.key(Key.channel)
        line.string(channel)
        line.key(Key.customers)
        line.int(customers)
        line.key(Key.activated)
        line.int(activated)
        line.key(Key.activationRate)
        line.double(activationRate)
        line.key(Key.windowOpen)
        line.int(windowOpen)
    }

    /// Reads the current line of `r` (missing text as "", missing counts as 0); a cohort that is
    /// neither `YYYY-MM` nor `(all)` is a data error naming the file and line.
    public init(reading r: JSONLReader) throws {
        self.init(
            cohort: try AttributionCohortText.month(r, Key.cohort), channel: r.string(Key.channel) ?? "",
            customers: Int(r.int(Key.customers) ?? 0), activated: Int(r.int(Key.activated) ?? 0),
            activationRate: r.double(Key.activationRate), windowOpen: Int(r.int(Key.windowOpen) ?? 0))
    }
}

/// The cohort field of attribution rows: a month, or `(all)` for the total over cohorts.
enum AttributionCohortText {
    /// The month under `key` of `r`'s current line, nil for `(all)`.
    static func month(_ r: JSONLReader, _ key: StaticString) throws -> Month? {
        let text = r.string(key)
        if text == "(all)" { return nil }
        guard let text, let m = Month(iso: text) else {
            throw InputError.malformedFile(
                path: r.path, line: r.lineNumber,
                reason:
                    "\(key): expected a month YYYY-MM or \"(all)\", found \(text.map { "\"\($0)\"" } ?? "nothing"); rerun churn-attribution to rewrite the file"
            )
        }
        return m
    }
}
