/// One thing a Cox fit says about itself: what went wrong or was adjusted (`CoxResult.notes`),
/// with the values its sentence names. `english` is the sentence; `CoxResult.message` joins the
/// notes' sentences with "; ". cox_model.json keeps both (`message`, `notes`), so the report can
/// word the notes in its own language.
public enum CoxNote: Equatable, Sendable {
    /// The input's arrays do not fit together (`problem` says how).
    case inputShape(String)
    case noSubjects
    case confidenceOutOfRange(Double)
    /// A covariate's value that is NaN or infinite, in the first row holding one.
    case notFinite(covariate: String, row: Int)
    /// No subject ends in the event: the partial likelihood is flat.
    case noEvents
    /// Covariates left out before iterating: constant, or collinear with others.
    case dropped([CoxDroppedTerm])
    /// Every covariate was dropped.
    case noCovariates
    case singularInformation(iteration: Int)
    case iterationLimit(Int)
    case stepHalvingFailed(iteration: Int)
    /// Coefficients heading to ±∞ (a level with no events, or only events).
    case diverging([CoxDivergingTerm])
    case informationNotInvertible
    /// `customers` customers of levels nobody has left, set aside before fitting (`CoxDesign.fit`).
    case setAside(customers: Int, levels: [SetAsideLevel])

    /// The English sentence.
    public var english: String {
        func quoted(_ name: String) -> String { "'\(name)'" }
        func customers(_ n: Int) -> String { n == 1 ? "1 customer" : "\(n) customers" }
        switch self {
        case .inputShape(let problem): return "input shape mismatch: " + problem
        case .noSubjects: return "no subjects: nothing to fit"
        case .confidenceOutOfRange(let c): return "confidence must lie strictly between 0 and 1 (got \(c))"
        case .notFinite(let covariate, let row): return "covariate \(quoted(covariate)) is not finite in row \(row)"
        case .noEvents: return "no events: the partial likelihood is flat, so no hazard ratio can be estimated"
        case .dropped(let terms):
            return "dropped " + terms.map { "\(quoted($0.name)) (\($0.reason))" }.joined(separator: ", ")
        case .noCovariates: return "no covariates to fit: log-likelihood is at β = 0"
        case .singularInformation(let i): return "the information matrix is singular at iteration \(i)"
        case .iterationLimit(let n): return "no convergence after \(n) iterations"
        case .stepHalvingFailed(let i): return "step halving could not increase the log-likelihood at iteration \(i)"
        case .diverging(let terms):
            return "coefficients do not converge: "
                + terms.map { "\(quoted($0.name)) (heading to \($0.towardPlus ? "+∞" : "-∞"))" }.joined(separator: ", ")
                + "; a level with no events (or only events) makes its hazard ratio inestimable, so pool or drop it"
        case .informationNotInvertible: return "the information matrix is not invertible: standard errors unavailable"
        case .setAside(let n, let levels):
            return "set aside \(customers(n)) of levels nobody has left, whose hazard ratios head to 0: "
                + levels.map { "\(quoted($0.name)) (\(customers($0.customers)))" }.joined(separator: ", ")
                + "; the other coefficients are their limit, the fit without them"
        }
    }
}

/// A covariate whose coefficient heads to +∞ or −∞.
public struct CoxDivergingTerm: Equatable, Sendable {
    public var name: String
    public var towardPlus: Bool

    public init(name: String, towardPlus: Bool) {
        self.name = name
        self.towardPlus = towardPlus
    }
}

/// A note as cox_model.json's `notes` records it: `kind` names it, the other members are its
/// values (`{"kind": "diverging", "terms": [{"term": "plan=pro", "toward": "-"}]}`).
extension CoxNote {
    private enum Kind {
        static let inputShape = "input_shape"
        static let noSubjects = "no_subjects"
        static let confidenceOutOfRange = "confidence_out_of_range"
        static let notFinite = "not_finite"
        static let noEvents = "no_events"
        static let dropped = "dropped"
        static let noCovariates = "no_covariates"
        static let singularInformation = "singular_information"
        static let iterationLimit = "iteration_limit"
        static let stepHalvingFailed = "step_halving_failed"
        static let diverging = "diverging"
        static let informationNotInvertible = "information_not_invertible"
        static let setAside = "set_aside"
    }

    var json: JSONValue {
        func object(_ kind: String, _ members: [(String, JSONValue)] = []) -> JSONValue {
            .object([("kind", .string(kind))] + members)
        }
        func number(_ n: Int) -> JSONValue { .number(String(n)) }
        switch self {
        case .inputShape(let problem): return object(Kind.inputShape, [("problem", .string(problem))])
        case .noSubjects: return object(Kind.noSubjects)
        // As text: it may be NaN, which JSON has no number for.
        case .confidenceOutOfRange(let c): return object(Kind.confidenceOutOfRange, [("confidence", .string("\(c)"))])
        case .notFinite(let covariate, let row):
            return object(Kind.notFinite, [("term", .string(covariate)), ("row", number(row))])
        case .noEvents: return object(Kind.noEvents)
        case .dropped(let terms):
            return object(
                Kind.dropped,
                [
                    (
                        "terms",
                        .array(
                            terms.map {
                                .object([
                                    ("term", .string($0.name)),
                                    (
                                        "collinear_with",
                                        $0.collinearWith.map { .array($0.map(JSONValue.string)) } ?? .null
                                    ),
                                ])
                            })
                    )
                ])
        case .noCovariates: return object(Kind.noCovariates)
        case .singularInformation(let i): return object(Kind.singularInformation, [("iteration", number(i))])
        case .iterationLimit(let n): return object(Kind.iterationLimit, [("iterations", number(n))])
        case .stepHalvingFailed(let i): return object(Kind.stepHalvingFailed, [("iteration", number(i))])
        case .diverging(let terms):
            return object(
                Kind.diverging,
                [
                    (
                        "terms",
                        .array(
                            terms.map {
                                .object([("term", .string($0.name)), ("toward", .string($0.towardPlus ? "+" : "-"))])
                            })
                    )
                ])
        case .informationNotInvertible: return object(Kind.informationNotInvertible)
        case .setAside(let n, let levels):
            return object(
                Kind.setAside,
                [
                    ("customers", number(n)),
                    (
                        "levels",
                        .array(
                            levels.map {
                                .object([
                                    ("dimension", .string($0.dimension)), ("level", .string($0.level)),
                                    ("customers", number($0.customers)),
                                ])
                            })
                    ),
                ])
        }
    }

    /// The note `json` records; nil for anything else (a kind this version does not know, a
    /// member missing).
    init?(json: JSONValue) {
        func string(_ v: JSONValue?, _ key: String) -> String? { v?[key]?.stringValue }
        func int(_ v: JSONValue?, _ key: String) -> Int? { v?[key]?.intValue }
        /// The objects under "terms" or "levels", each read by `read`; nil when one does not read.
        func items<T>(_ key: String, _ read: (JSONValue) -> T?) -> [T]? {
            guard let array = json[key]?.arrayValue else { return nil }
            let read = array.compactMap(read)
            return read.count == array.count ? read : nil
        }
        switch string(json, "kind") {
        case Kind.inputShape:
            guard let problem = string(json, "problem") else { return nil }
            self = .inputShape(problem)
        case Kind.noSubjects: self = .noSubjects
        case Kind.confidenceOutOfRange:
            guard let c = string(json, "confidence").flatMap(Double.init) else { return nil }
            self = .confidenceOutOfRange(c)
        case Kind.notFinite:
            guard let term = string(json, "term"), let row = int(json, "row") else { return nil }
            self = .notFinite(covariate: term, row: row)
        case Kind.noEvents: self = .noEvents
        case Kind.dropped:
            let terms = items("terms") { t -> CoxDroppedTerm? in
                guard let name = string(t, "term") else { return nil }
                return CoxDroppedTerm(
                    name: name, collinearWith: t["collinear_with"]?.arrayValue?.compactMap(\.stringValue))
            }
            guard let terms else { return nil }
            self = .dropped(terms)
        case Kind.noCovariates: self = .noCovariates
        case Kind.singularInformation:
            guard let i = int(json, "iteration") else { return nil }
            self = .singularInformation(iteration: i)
        case Kind.iterationLimit:
            guard let n = int(json, "iterations") else { return nil }
            self = .iterationLimit(n)
        case Kind.stepHalvingFailed:
            guard let i = int(json, "iteration") else { return nil }
            self = .stepHalvingFailed(iteration: i)
        case Kind.diverging:
            let terms = items("terms") { t -> CoxDivergingTerm? in
                guard let name = string(t, "term"), let toward = string(t, "toward"), toward == "+" || toward == "-"
                else { return nil }
                return CoxDivergingTerm(name: name, towardPlus: toward == "+")
            }
            guard let terms else { return nil }
            self = .diverging(terms)
        case Kind.informationNotInvertible: self = .informationNotInvertible
        case Kind.setAside:
            let levels = items("levels") { l -> SetAsideLevel? in
                guard let d = string(l, "dimension"), let level = string(l, "level"), let n = int(l, "customers")
                else { return nil }
                return SetAsideLevel(dimension: d, level: level, customers: n)
            }
            guard let n = int(json, "customers"), let levels else { return nil }
            self = .setAside(customers: n, levels: levels)
        default:
            return nil
        }
    }
}

/// cox_model.json's `notes`: the fit's notes as an array of their records (`CoxNote.json`);
/// missing in a file written before notes were recorded, which reads as none. Codable, for coders
/// other than the record codec, as that array's JSON text.
public struct CoxNotes: Equatable, Sendable, Codable, RecordFieldValue {
    public var notes: [CoxNote]

    public init(_ notes: [CoxNote]) { self.notes = notes }

    /// The records of `notes`, in order.
    var json: JSONValue { .array(notes.map(\.json)) }

    /// The notes under `key`; nil when one of them does not read (a kind this version does not
    /// know): the record then has none, and the report shows the message as written.
    static func read(_ source: any RecordSource, _ key: RecordKey) -> CoxNotes? {
        source.value(key).flatMap(Self.init(json:))
    }

    static var whenMissing: CoxNotes? { CoxNotes([]) }

    init?(json: JSONValue) {
        guard let items = json.arrayValue else { return nil }
        let notes = items.compactMap(CoxNote.init(json:))
        guard notes.count == items.count else { return nil }
        self.init(notes)
    }

    public func write(to line: JSONLineBuilder) { line.value(json) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let notes = (try? JSONParser.parse(Array(text.utf8))).flatMap(Self.init(json:)) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an array of Cox notes")
        }
        self = notes
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(json.serialized())
    }
}
