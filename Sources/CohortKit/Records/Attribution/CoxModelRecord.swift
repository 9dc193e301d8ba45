/// churn-attribution's cox_model.json: how the Cox model fit went (docs/metrics.md#cox-model).
public struct CoxModelRecord: Equatable, Sendable {
    /// The output this record is, and its schema version (StageDescription uses both).
    public static let output = "cox_model"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let n = "n"
        static let events = "events"
        static let logLikelihood = "log_likelihood"
        static let concordance = "concordance"
        static let iterations = "iterations"
        static let converged = "converged"
        static let message = "message"
        static let dimensions = "dimensions"
        static let droppedTerms = "dropped_terms"
    }

    public var n: Int
    public var events: Int
    public var logLikelihood: Double?
    public var concordance: Double?
    public var iterations: Int
    public var converged: Bool
    /// Nil for a clean fit, else what went wrong or was dropped.
    public var message: String?
    /// The dimensions in the model, in design order.
    public var dimensions: [String]
    public var droppedTerms: [String]

    /// The file's object, members in the output's key order; numbers as Swift's shortest
    /// round-trip text (`0.5`, `1.0`), non-finite ones as null.
    public var json: JSONValue {
        func num(_ d: Double?) -> JSONValue {
            d.flatMap { $0.isFinite ? JSONValue.number($0.description) : nil } ?? .null
        }
        return .object([
            (Key.n, .number(String(n))),
            (Key.events, .number(String(events))),
            (Key.logLikelihood, num(logLikelihood)),
            (Key.concordance, num(concordance)),
            (Key.iterations, .number(String(iterations))),
            (Key.converged, .bool(converged)),
            (Key.message, message.map { .string($0) } ?? .null),
            (Key.dimensions, .array(dimensions.map { .string($0) })),
            (Key.droppedTerms, .array(droppedTerms.map { .string($0) })),
        ])
    }

}

extension CoxModelRecord {
    /// The record of a parsed file (missing counts as 0, `converged` as false, lists as empty).
    public init(json: JSONValue) {
        func strings(_ v: JSONValue?) -> [String] { v?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(
            n: json[Key.n]?.intValue ?? 0, events: json[Key.events]?.intValue ?? 0,
            logLikelihood: json[Key.logLikelihood]?.doubleValue, concordance: json[Key.concordance]?.doubleValue,
            iterations: json[Key.iterations]?.intValue ?? 0, converged: json[Key.converged]?.boolValue ?? false,
            message: json[Key.message]?.stringValue, dimensions: strings(json[Key.dimensions]),
            droppedTerms: strings(json[Key.droppedTerms]))
    }
}
