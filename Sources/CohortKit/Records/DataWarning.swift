/// A data-quality warning a stage records: its kind, with the values its sentence names, and that
/// sentence in English as stderr prints it and the manifest's `warnings` keeps it.
///
/// The manifest keeps each warning's kind beside its sentence (`warning_kinds`,
/// docs/stages.md#manifest), so the report words the warning in its own language. A warning read
/// from a manifest written before kinds were recorded has none, and is shown as written.
public struct DataWarning: Equatable, Sendable, ExpressibleByStringLiteral {
    /// What a warning is about, with the values its sentence names.
    public enum Kind: Equatable, Sendable {
        /// An optional column of `source` absent under its default name `column` (read for
        /// `field`); `rows` is the source's accepted rows, `path` the source as manifests record it,
        /// `near` the file's column that looks like it (`Currency` for `currency`), if any.
        case missingColumn(
            source: PipelineConfig.SourceKind, path: String, field: String, column: String, rows: Int, near: String?)
        /// `columns` columns without a name in the header of `source`, holding `values` values
        /// that are not read.
        case unnamedColumns(source: PipelineConfig.SourceKind, path: String, columns: Int, values: Int)
        /// An optional source whose file was not found (`path` as manifests record it).
        case missingOptionalSource(source: PipelineConfig.SourceKind, path: String)
        /// An as_of more than `DataWarnings.staleDays` after `last`, the last date in any source;
        /// `openAtAsOf` is the customers with a subscription open at as_of (nil when not known).
        case staleAsOf(asOf: Day, last: Day, openAtAsOf: Int?)
        /// An as_of before `first`, the first start date in the subscriptions.
        case asOfBeforeData(asOf: Day, first: Day)
        /// With `cohort_basis` `signup_date`: `customers` paying customers whose signup month is
        /// after as_of's, so their cohort has no observed month; `example` is the first by id.
        case signupAfterAsOf(asOf: Day, customers: Int, example: String, signup: Day)
        /// Sources changed after ingest read them, or ingest's outputs are not the ones it wrote
        /// here; `resized` lists the sources whose size is not the one ingest recorded.
        case sourcesChanged(resized: [ResizedSource])
        /// `rows` accepted subscriptions of `path` whose `field` (mrr or amount) has more decimal
        /// places than its currency has minor units; the first is on `line`, written `value`, in
        /// `currency` of `minorUnits` decimals. A dot that separates thousands (`1.234` for 1234)
        /// reads so, a thousandth of the amount.
        /// `values` customer attribute values of `path` holding a character that makes them look like
        /// another value (`KeyText.lookAlikeCharacter`): the first is on `line` in `column`, written
        /// `value` (escaped), with `character` (named) at `position`, looking like `looksLike` when
        /// that is ASCII. Kept as written, each is a segment of its own in churn attribution.
        case lookAlikeAttributes(
            path: String, values: Int, column: String, line: Int, value: String, character: String, position: Int,
            looksLike: String?)
        case excessDecimals(
            path: String, field: String, rows: Int, line: Int, value: String, currency: String, minorUnits: Int)
        /// `rows` accepted subscriptions of the source at `path` give mrr 0 and an amount above 0,
        /// the first on `line` (`mrr` and `amount` as written): mrr wins, so they count as free,
        /// which erases their churn when the mrr column is the current MRR (0 once cancelled).
        case zeroMRRWithAmount(path: String, rows: Int, line: Int, mrr: String, amount: String)
        /// The subscriptions source at `path` has no accepted row (`read` rows read: a header line
        /// alone, or every row rejected): nobody pays, so every metric is empty.
        case noSubscriptions(path: String, read: Int)
    }

    /// A source whose size is not the one ingest recorded.
    public struct ResizedSource: Equatable, Sendable {
        /// As ingest's manifest records it.
        public var path: String
        /// Its size now; nil when it is missing.
        public var bytesNow: Int?
        public var bytesRead: Int

        public init(path: String, bytesNow: Int?, bytesRead: Int) {
            self.path = path
            self.bytesNow = bytesNow
            self.bytesRead = bytesRead
        }
    }

    /// Nil for a warning known only by its sentence.
    public var kind: Kind?
    /// The English sentence.
    public var text: String

    public init(_ kind: Kind) {
        self.kind = kind
        text = kind.english
    }

    /// A warning known only by its sentence (as an older manifest records it).
    public init(text: String) {
        kind = nil
        self.text = text
    }

    public init(stringLiteral text: String) { self.init(text: text) }
}

extension DataWarning.Kind {
    /// The English sentence.
    public var english: String {
        switch self {
        case .missingColumn(let source, let path, let field, let column, let rows, let near):
            let what = DataWarnings.consequence(source, field, rows: rows) ?? "the field is empty"
            let map =
                near.map {
                    "The file has \"\($0)\": if that is it, map it with \"columns\": {\"\(field)\": \"\($0)\"} in sources.\(source.rawValue)."
                }
                ?? "Map the right column with \"columns\": {\"\(field)\": \"<column name>\"} in sources.\(source.rawValue)."
            return "\(path): no \"\(column)\" column (for \(field)): \(what). \(map)"
        case .unnamedColumns(_, let path, let columns, let values):
            let which = columns == 1 ? "a column has no name" : "\(columns) columns have no name"
            let what = values == 1 ? "the 1 value" : "the \(NumberText.grouped(values)) values"
            return
                "\(path): \(which) in the header line; \(what) in \(columns == 1 ? "it" : "them") \(values == 1 ? "is" : "are") not read. Name the column to keep it as an attribute."
        case .missingOptionalSource(let source, let path):
            let name = source.rawValue
            return
                "\(path): the optional \(name) file was not found, so the run has no \(name). Check sources.\(name).path if it should be there."
        case .staleAsOf(let asOf, let last, let openAtAsOf):
            let consequence =
                openAtAsOf == 0
                ? "no subscription is open at as_of, so every customer counts as gone by then and the months after the data show no new customers"
                : "open subscriptions count as paying up to it, which flatters churn and LTV"
            return
                "as_of \(asOf) is \(asOf - last) days after the last date in the data (\(last)): \(consequence). Set as_of (or --as-of) to the data's end, or check the exports are current."
        case .asOfBeforeData(let asOf, let first):
            return
                "as_of \(asOf) is before the first subscription starts (\(first)): nobody is a customer yet, so every metric is empty. Set as_of (or --as-of) to a date within the data."
        case .signupAfterAsOf(let asOf, let customers, let example, let signup):
            let who =
                customers == 1
                ? "1 paying customer has" : "\(NumberText.grouped(customers)) paying customers have"
            return
                "\(who) a signup_date in a month after as_of \(asOf) (\(example): \(signup)): with cohort_basis signup_date their cohort has no month observed yet, so they are in no retention triangle. Check their signup dates, or use cohort_basis first_subscription."
        case .sourcesChanged(let resized):
            let sizes = resized.map {
                let now = $0.bytesNow.map { "\(NumberText.grouped($0)) bytes now" } ?? "missing now"
                return "\($0.path): \(now), \(NumberText.grouped($0.bytesRead)) when read"
            }
            let which = sizes.isEmpty ? "" : " (" + sizes.joined(separator: "; ") + ")"
            return
                "The sources changed after ingest read them, or the ingest outputs are not the ones ingest wrote here\(which): these numbers are from the data as ingest read it. Run make (or ingest and every stage after it) to refresh them."
        case .lookAlikeAttributes(
            let path, let values, let column, let line, let value, let character, let position, let looksLike):
            let which =
                values == 1
                ? "1 attribute value holds a character that makes it look like another value"
                : "\(NumberText.grouped(values)) attribute values hold characters that make them look like other values"
            let looks = looksLike.map { ", so it looks like \"\($0)\"" } ?? ""
            return
                "\(path): \(which) (line \(line), \(column) \"\(value)\": \(character) at character \(position)\(looks)); such values are kept as written, so in churn attribution each is a segment of its own. Clean them in the export."
        case .excessDecimals(let path, let field, let rows, let line, let value, let currency, let minorUnits):
            let which = rows == 1 ? "1 \(field) value has" : "\(NumberText.grouped(rows)) \(field) values have"
            let places = minorUnits == 1 ? "1 decimal place" : "\(minorUnits) decimal places"
            return
                "\(path): \(which) more decimal places than the currency's minor units (line \(line): \(value) \(currency), which has \(places)); they are read as written and rounded once converted. If the export writes a dot between thousands (1.234 for one thousand two hundred thirty-four), each such amount is read as a thousandth of itself: write the amounts without it."
        case .zeroMRRWithAmount(let path, let rows, let line, let mrr, let amount):
            let which = rows == 1 ? "1 subscription gives" : "\(NumberText.grouped(rows)) subscriptions give"
            return
                "\(path): \(which) mrr 0 and an amount above 0 (line \(line): mrr \(mrr), amount \(amount)); mrr wins, so they count as free subscriptions, with no MRR and no churn. If the mrr column is each subscription's current MRR (0 once it is cancelled, as some billing exports write it), map amount and billing_period and leave mrr out."
        case .noSubscriptions(let path, let read):
            let rows =
                read == 0
                ? "no rows (only its header line)"
                : "no accepted row (\(NumberText.grouped(read)) read, every one rejected)"
            return
                "\(path): the subscriptions file has \(rows), so no customer pays and every metric is empty. Check the export."
        }
    }
}

/// A kind as the manifest's `warning_kinds` records it: `kind` names it, the other members are
/// its values (`{"kind": "stale_as_of", "as_of": "2024-12-31", "last": "2024-01-15"}`).
extension DataWarning.Kind {
    private enum Name {
        static let missingColumn = "missing_column"
        static let missingOptionalSource = "missing_optional_source"
        static let unnamedColumns = "unnamed_columns"
        static let staleAsOf = "stale_as_of"
        static let asOfBeforeData = "as_of_before_data"
        static let signupAfterAsOf = "signup_after_as_of"
        static let sourcesChanged = "sources_changed"
        static let excessDecimals = "excess_decimals"
        static let zeroMRRWithAmount = "zero_mrr_with_amount"
        static let lookAlikeAttributes = "look_alike_attributes"
        static let noSubscriptions = "no_subscriptions"
    }

    var json: JSONValue {
        func number(_ n: Int) -> JSONValue { .number(String(n)) }
        switch self {
        case .missingColumn(let source, let path, let field, let column, let rows, let near):
            return .object(
                [
                    ("kind", .string(Name.missingColumn)), ("source", .string(source.rawValue)),
                    ("path", .string(path)),
                    ("field", .string(field)), ("column", .string(column)), ("rows", number(rows)),
                ] + (near.map { [("near", .string($0))] } ?? []))
        case .unnamedColumns(let source, let path, let columns, let values):
            return .object([
                ("kind", .string(Name.unnamedColumns)), ("source", .string(source.rawValue)), ("path", .string(path)),
                ("columns", number(columns)), ("values", number(values)),
            ])
        case .missingOptionalSource(let source, let path):
            return .object([
                ("kind", .string(Name.missingOptionalSource)), ("source", .string(source.rawValue)),
                ("path", .string(path)),
            ])
        case .staleAsOf(let asOf, let last, let openAtAsOf):
            return .object(
                [
                    ("kind", .string(Name.staleAsOf)), ("as_of", .string(asOf.description)),
                    ("last", .string(last.description)),
                ] + (openAtAsOf.map { [("open_at_as_of", number($0))] } ?? []))
        case .asOfBeforeData(let asOf, let first):
            return .object([
                ("kind", .string(Name.asOfBeforeData)), ("as_of", .string(asOf.description)),
                ("first", .string(first.description)),
            ])
        case .signupAfterAsOf(let asOf, let customers, let example, let signup):
            return .object([
                ("kind", .string(Name.signupAfterAsOf)), ("as_of", .string(asOf.description)),
                ("customers", number(customers)), ("example", .string(example)),
                ("signup", .string(signup.description)),
            ])
        case .sourcesChanged(let resized):
            return .object([
                ("kind", .string(Name.sourcesChanged)),
                (
                    "resized",
                    .array(
                        resized.map {
                            .object([
                                ("path", .string($0.path)), ("bytes_now", $0.bytesNow.map(number) ?? .null),
                                ("bytes_read", number($0.bytesRead)),
                            ])
                        })
                ),
            ])
        case .lookAlikeAttributes(
            let path, let values, let column, let line, let value, let character, let position, let looksLike):
            return .object(
                [
                    ("kind", .string(Name.lookAlikeAttributes)), ("path", .string(path)), ("values", number(values)),
                    ("column", .string(column)), ("line", number(line)), ("value", .string(value)),
                    ("character", .string(character)), ("position", number(position)),
                ] + (looksLike.map { [("looks_like", .string($0))] } ?? []))
        case .excessDecimals(let path, let field, let rows, let line, let value, let currency, let minorUnits):
            return .object([
                ("kind", .string(Name.excessDecimals)), ("path", .string(path)), ("field", .string(field)),
                ("rows", number(rows)), ("line", number(line)), ("value", .string(value)),
                ("currency", .string(currency)), ("minor_units", number(minorUnits)),
            ])
        case .zeroMRRWithAmount(let path, let rows, let line, let mrr, let amount):
            return .object([
                ("kind", .string(Name.zeroMRRWithAmount)), ("path", .string(path)), ("rows", number(rows)),
                ("line", number(line)), ("mrr", .string(mrr)), ("amount", .string(amount)),
            ])
        case .noSubscriptions(let path, let read):
            return .object([("kind", .string(Name.noSubscriptions)), ("path", .string(path)), ("read", number(read))])
        }
    }

    /// The kind `json` records; nil for anything else (a kind this version does not know, a
    /// member missing), whose warning is then shown as written.
    init?(json: JSONValue) {
        func string(_ key: String) -> String? { json[key]?.stringValue }
        func source() -> PipelineConfig.SourceKind? { string("source").flatMap(PipelineConfig.SourceKind.init) }
        switch string("kind") {
        case Name.missingColumn:
            guard let source = source(), let path = string("path"), let field = string("field"),
                let column = string("column"), let rows = json["rows"]?.intValue
            else { return nil }
            self = .missingColumn(
                source: source, path: path, field: field, column: column, rows: rows, near: string("near"))
        case Name.unnamedColumns:
            guard let source = source(), let path = string("path"), let columns = json["columns"]?.intValue,
                let values = json["values"]?.intValue
            else { return nil }
            self = .unnamedColumns(source: source, path: path, columns: columns, values: values)
        case Name.missingOptionalSource:
            guard let source = source(), let path = string("path") else { return nil }
            self = .missingOptionalSource(source: source, path: path)
        case Name.staleAsOf:
            guard let asOf = string("as_of").flatMap(Day.init(iso:)), let last = string("last").flatMap(Day.init(iso:))
            else { return nil }
            self = .staleAsOf(asOf: asOf, last: last, openAtAsOf: json["open_at_as_of"]?.intValue)
        case Name.asOfBeforeData:
            guard let asOf = string("as_of").flatMap(Day.init(iso:)),
                let first = string("first").flatMap(Day.init(iso:))
            else { return nil }
            self = .asOfBeforeData(asOf: asOf, first: first)
        case Name.signupAfterAsOf:
            guard let asOf = string("as_of").flatMap(Day.init(iso:)), let customers = json["customers"]?.intValue,
                let example = string("example"), let signup = string("signup").flatMap(Day.init(iso:))
            else { return nil }
            self = .signupAfterAsOf(asOf: asOf, customers: customers, example: example, signup: signup)
        case Name.sourcesChanged:
            guard let items = json["resized"]?.arrayValue else { return nil }
            var resized: [DataWarning.ResizedSource] = []
            for item in items {
                guard let path = item["path"]?.stringValue, let read = item["bytes_read"]?.intValue else { return nil }
                resized.append(.init(path: path, bytesNow: item["bytes_now"]?.intValue, bytesRead: read))
            }
            self = .sourcesChanged(resized: resized)
        case Name.lookAlikeAttributes:
            guard let path = string("path"), let values = json["values"]?.intValue, let column = string("column"),
                let line = json["line"]?.intValue, let value = string("value"), let character = string("character"),
                let position = json["position"]?.intValue
            else { return nil }
            self = .lookAlikeAttributes(
                path: path, values: values, column: column, line: line, value: value, character: character,
                position: position, looksLike: string("looks_like"))
        case Name.excessDecimals:
            guard let path = string("path"), let field = string("field"), let rows = json["rows"]?.intValue,
                let line = json["line"]?.intValue, let value = string("value"), let currency = string("currency"),
                let minorUnits = json["minor_units"]?.intValue
            else { return nil }
            self = .excessDecimals(
                path: path, field: field, rows: rows, line: line, value: value, currency: currency,
                minorUnits: minorUnits)
        case Name.zeroMRRWithAmount:
            guard let path = string("path"), let rows = json["rows"]?.intValue, let line = json["line"]?.intValue,
                let mrr = string("mrr"), let amount = string("amount")
            else { return nil }
            self = .zeroMRRWithAmount(path: path, rows: rows, line: line, mrr: mrr, amount: amount)
        case Name.noSubscriptions:
            guard let path = string("path"), let read = json["read"]?.intValue else { return nil }
            self = .noSubscriptions(path: path, read: read)
        default:
            return nil
        }
    }
}
