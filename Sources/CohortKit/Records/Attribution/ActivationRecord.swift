/// One row of churn-attribution's activation.jsonl: a cohort's (or all cohorts') activation in a
/// channel (or all), over the customers whose activation window has closed
/// (docs/metrics.md#activation).
public struct ActivationRecord: JSONLReadableRecord, Codable, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "activation"
    public static let schemaVersion = 1

    /// Nil for the `(all)` row over every cohort.
    @CohortOrAll public var cohort: Month?
    public var channel: String
    public var customers: Int
    public var activated: Int
    public var activationRate: Double?
    /// Converted customers left out because their window was still open at as_of.
    public var windowOpen: Int

    /// The cohort as written: `YYYY-MM` or `(all)`.
    var cohortText: String { _cohort.text }
}

/// The cohort of a churn-attribution row (activation, phases): a month, or nil for `(all)`, the
/// total over cohorts. Written `YYYY-MM` or `(all)`; read back the same way, anything else (or
/// nothing) being a data error that names the file and line.
@propertyWrapper
public struct CohortOrAll: TextCodable, Equatable, Sendable {
    public var wrappedValue: Month?

    public init(wrappedValue: Month?) { self.wrappedValue = wrappedValue }

    /// The cohort as written.
    var text: String { wrappedValue?.description ?? "(all)" }

    /// The cohort that `text` spells; nil when it is neither `YYYY-MM` nor `(all)`.
    init?(text: String) {
        if text == "(all)" {
            wrappedValue = nil
        } else if let m = Month(iso: text) {
            wrappedValue = m
        } else {
            return nil
        }
    }
}

extension CohortOrAll: RecordFieldValue {
    static var expected: String { "a month YYYY-MM or \"(all)\"" }

    public func write(to line: JSONLineBuilder) { line.string(text) }

    /// The cohort under `key`; throws when it is missing or spells no cohort.
    static func read(_ source: any RecordSource, _ key: RecordKey) throws -> CohortOrAll? {
        let text = source.string(key)
        guard let text, let v = CohortOrAll(text: text) else {
            throw source.malformed(
                key,
                "expected \(expected), found \(text.map { "\"\($0)\"" } ?? "nothing")"
            )
        }
        return v
    }
}
