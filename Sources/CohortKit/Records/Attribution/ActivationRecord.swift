/// One row of churn-attribution's activation.jsonl: a cohort's (or all cohorts') activation in a
/// channel (or all), over the customers whose activation window has closed
/// (docs/metrics.md#activation).
public struct ActivationRecord: AttributionCohortRow, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "activation"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
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

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        writeCohortChannelCustomers(to: line)
        line.field(Key.activated, activated)
        line.field(Key.activationRate, activationRate)
        line.field(Key.windowOpen, windowOpen)
    }

}

extension ActivationRecord {
    /// Reads the current line of `r` (missing text as "", missing counts as 0); a cohort that is
    /// neither `YYYY-MM` nor `(all)` is a data error naming the file and line.
    public init(reading r: JSONLReader) throws {
        self.init(
            cohort: try AttributionCohortText.month(r), channel: r.text(Key.channel),
            customers: r.count(Key.customers), activated: r.count(Key.activated),
            activationRate: r.double(Key.activationRate), windowOpen: r.count(Key.windowOpen))
    }
}

/// A churn-attribution row that opens with a cohort (nil for `(all)`, the total over cohorts), a
/// channel and a customer count (activation and phases).
protocol AttributionCohortRow {
    var cohort: Month? { get }
    var channel: String { get }
    var customers: Int { get }
}

extension AttributionCohortRow {
    /// The cohort as written: `YYYY-MM` or `(all)`.
    var cohortText: String { cohort?.description ?? "(all)" }

    /// Appends the row's first members: `cohort`, `channel`, `customers`.
    func writeCohortChannelCustomers(to line: JSONLineBuilder) {
        line.key(AttributionCohortText.Key.cohort)
        if let cohort { line.month(cohort) } else { line.string("(all)") }
        line.field(AttributionCohortText.Key.channel, channel)
        line.field(AttributionCohortText.Key.customers, customers)
    }
}

/// The cohort field of attribution rows: a month, or `(all)` for the total over cohorts.
enum AttributionCohortText {
    enum Key: SharedRecordKeys {}

    /// The month under `key` (`cohort` unless told) of `r`'s current line, nil for `(all)`.
    static func month(_ r: JSONLReader, _ key: StaticString = Key.cohort) throws -> Month? {
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
