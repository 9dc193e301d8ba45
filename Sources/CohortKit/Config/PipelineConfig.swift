import Foundation

/// The run's configuration, read from `pipeline.json` (docs/configuration.md). Every key has a default; unknown
/// keys are errors. Relative paths are resolved against the folder holding the config file.
public struct PipelineConfig: Sendable {
    public enum SourceKind: String, CaseIterable, Sendable {
        case customers, subscriptions, cancellations, events

        /// The canonical fields of this kind of source (README's input fields), in the order the
        /// JSON Lines reader's schema lists them. A source's `columns` maps these; customers may
        /// also rename attribute columns, so only their mapping keys are not limited to this list.
        public var fields: [String] {
            switch self {
            case .customers: return ["customer_id", "signup_date", "acquisition_channel"]
            case .subscriptions:
                return [
                    "customer_id", "subscription_id", "product", "plan", "start_date", "end_date", "mrr", "amount",
                    "billing_period", "billing_period_count", "currency", "quantity",
                ]
            case .cancellations: return ["customer_id", "date", "reason", "comment"]
            case .events: return ["customer_id", "timestamp", "event", "user_id"]
            }
        }
    }
    public enum Format: String, Sendable { case csv, jsonl }

    /// One input file and how to read it.
    public struct Source: Sendable {
        public var kind: SourceKind
        public var path: String
        public var format: Format
        /// Canonical field name → column name in the file.
        public var columns: [String: String]
        public var dialect: CSVDialect
        public var dateFormat: DateFormat
        public var timezone: SourceTimeZone
        public var currency: String?
        public var optional: Bool
        /// `sources.<name>.max_reject_ratio`: this source's own limit (nil: `ingest.max_reject_ratio`).
        public var maxRejectRatio: Double? = nil
        /// `sources.subscriptions.amount_unit: "minor"`: `mrr` and `amount` are written in the
        /// currency's minor units (cents), as payment APIs write them.
        public var amountsInMinorUnits = false

        /// The column holding a canonical field.
        public func column(_ field: String) -> String { columns[field] ?? field }
    }

    public struct Check: Sendable, Equatable {
        public var metric: String
        public var min: Double?
        public var max: Double?
    }

    public var file: String
    public var version: Int
    public var asOf: Day
    public var workDir: String
    public var reportsDir: String
    public var threads: Int
    public var currency: CurrencyTable
    public var sources: [SourceKind: Source]
    public var maxRejectRatio: Double
    /// The plausible dates (`ingest.date_range`): every date and timestamp read, after time-zone
    /// conversion, and `as_of` must fall in it.
    public var dateRange: ClosedRange<Day>
    public var graceDays: Int
    public var cohortBasis: String
    public var maxOffsetMonths: Int
    public var confidence: Double
    /// `cohort.backtest_months`: how far back the projection backtest recomputes (0: no backtest).
    public var backtestMonths: Int
    /// `cohort.drift_confidence`: two-sided level of the predecessors' band for drift alerts.
    public var driftConfidence: Double
    /// `attribution.dimensions`, each once (`dimensions(_:file:)`).
    public var dimensions: [String]
    public var earlyChurnDays: Int
    public var minSegmentCustomers: Int
    /// Pairwise tests and Cox terms use at most this many values per dimension (the most customers).
    public var maxComparedValues: Int
    /// `attribution.reason_categories` in file order, each key trimmed as the data's reasons are
    /// and no two the same reason ignoring case (`reasonCategories(_:file:)`).
    public var reasonCategories: [(String, String)]
    public var touchTierHighMinor: Int64
    public var touchTierLowMinor: Int64
    public var activationEvent: String?
    public var activationDays: Int
    /// Months of the first three (30-day months after the first start) with the key event that
    /// make a customer adopted (`attribution.adoption.months`).
    public var adoptionMonths: Int = 2
    public var title: String
    public var locale: String
    /// `report.drift_kpi_points`: a ratio KPI moving more than this many percentage points since
    /// the previous run is a drift alert.
    public var driftKPIPoints: Double
    /// `report.labels`: display labels for dimension names and values, in file order.
    public var reportLabels: [(String, String)]
    public var formats: [String]
    /// Channels shown one by one in the report (the most customers); the rest are pooled.
    public var maxChannels: Int
    /// How many of the latest signup months the report's cohort tables and heatmaps show
    /// (`report.max_months`); the outputs and triangles.csv keep every one.
    public var maxMonths: Int
    public var checks: [Check]
    /// Canonical JSON of each section as resolved (defaults filled in), for manifests and digests.
    public var resolved: [(String, JSONValue)]
    /// The section name under which a stage records `SOURCE_DATE_EPOCH` (`section(_:)`): not a
    /// setting of the file, so not in `resolved` nor the digest, but it changes the report's
    /// footer, so the report records it and make reruns the report when it changes.
    public static let sourceDateEpochSection = "source_date_epoch"
    /// `SOURCE_DATE_EPOCH` as loaded, or null.
    var sourceDateEpochValue: JSONValue = .null
    /// Each source's path as written in the file (recorded in manifests and digested).
    var writtenPaths: [SourceKind: String] = [:]

    /// Why a check's threshold cannot be meant as written, with a hint; nil when it can. Each
    /// metric's kind and valid range come from `MetricCatalog`: ratios are written as ratios (1.0
    /// for 100%), NRR may reach a few times its base, the other ratios lie in 0...1, money
    /// thresholds are whole minor units of the report currency, counts are whole numbers. Messages
    /// show the threshold as `written` in the file when given (`150`, not `150.0`).
    static func thresholdProblem(metric: String, value: Double, written: String? = nil) -> (String, String)? {
        guard value.isFinite else { return ("the threshold is not a finite number", "Write a plain number.") }
        let shown = written ?? "\(value)"
        guard let m = MetricCatalog.metric(metric) else { return nil }
        let range = m.validRange
        switch m.kind {
        case .count:
            return value < range.lowerBound || value > range.upperBound || value != value.rounded()
                ? (
                    "\(metric) counts alerts; \(shown) is not a whole number from 0",
                    "Write \"max\": 0 to fail on any drift alert."
                )
                : nil
        case .money:
            return value < range.lowerBound || value > range.upperBound
                ? (
                    "\(metric) is money in minor units of the report currency; \(shown) is out of range (0 to 10^15)",
                    "Write the amount in minor units, e.g. 5000000 for ¥5,000,000."
                )
                : nil
        case .percent, .ratio:
            let upper = range.upperBound
            guard value < range.lowerBound || value > upper else { return nil }
            let percent = value > upper && value <= 100 * upper ? " (did you mean \(value / 100)?)" : ""
            return (
                "\(metric) is a ratio between 0 and \(upper == 1 ? "1" : "10"), not \(shown)\(percent)",
                "Write ratios as decimals: 1.0 for 100%, 0.9 for 90%."
            )
        }
    }

    /// Why a date setting's `text` is not a date: `"2024-13-01" is not a date`, and when it is
    /// written YYYY-MM-DD, which day does not exist (`: there is no month 13`).
    static func notADate(_ text: String) -> String {
        var t = text
        let why = t.utf8.count == 10 ? t.withUTF8 { DateFormat.iso.noSuchDay($0) } : nil
        return "\"\(shownInMessage(text))\" is not a date" + (why.map { ": \($0)" } ?? "")
    }

    /// The metrics `report.checks` may name (`MetricCatalog.checkable`).
    public static var metricsForChecks: [String] { MetricCatalog.checkable.map(\.id) }

    /// The largest configuration file read (16 MiB); a larger one is refused with exit 2.
    public static let maxFileBytes = 16 << 20

    /// Loads and validates a config file; `asOfOverride` is the `--as-of` flag.
    public static func load(path: String, asOfOverride: String? = nil, settings: [(key: String, value: Double)] = [])
        throws -> PipelineConfig
    {
        let bytes: [UInt8]
        let tooLarge = ConfigError(
            file: path, keyPath: "",
            message: "the configuration is larger than \(PipelineConfig.maxFileBytes / (1 << 20)) MiB",
            hint: "Check the --config path: a pipeline.json is a few kilobytes.")
        do {
            // The size first: a huge file is refused before it is read; a device or pipe is read
            // only up to the limit.
            if let size = FilePaths.size(path), size > PipelineConfig.maxFileBytes { throw tooLarge }
            bytes = try FilePaths.readAll(path, limit: PipelineConfig.maxFileBytes)
            guard bytes.count <= PipelineConfig.maxFileBytes else { throw tooLarge }
        } catch InputError.cannotRead(_, let reason) {
            if !FilePaths.exists(path) {
                throw ConfigError(
                    file: path, keyPath: "", message: "configuration file not found",
                    hint: "Run from the project folder, or pass --config PATH.")
            }
            if FilePaths.isDirectory(path) {
                throw ConfigError(
                    file: path, keyPath: "", message: "this is a folder, not a configuration file",
                    hint:
                        "Use the configuration file itself, for example --config \(FilePaths.join(path, "pipeline.json"))."
                )
            }
            throw ConfigError(
                file: path, keyPath: "", message: "cannot read the configuration (\(reason))",
                hint: "Check the file's permissions.")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch let e as JSONParseError {
            throw ConfigError(
                file: path, keyPath: "", message: "not valid JSON at \(e)",
                hint: "Fix the JSON syntax (a trailing comma or a missing quote is the usual cause).")
        }
        return try PipelineConfig(
            value: settings.reduce(value) { $0.setting($1.key, to: .number(JSONValue.numberText($1.value))) },
            file: path, asOfOverride: asOfOverride)
    }

    public init(value: JSONValue, file: String, asOfOverride: String? = nil) throws {
        self.file = file
        let base = FilePaths.directory(of: file)
        /// A path relative to the config's folder; an empty one (which would join to that folder's
        /// parent's root, or to `/`) or one holding a NUL byte is refused.
        func resolve(_ p: String, _ keyPath: String, _ what: String) throws -> String {
            if p.allSatisfy({ $0 == " " || $0 == "\t" }) {
                throw ConfigError(
                    file: file, keyPath: keyPath, message: "the path is empty",
                    hint:
                        "Give \(what), relative to the configuration's folder (\".\" for that folder itself), or remove the key for its default."
                )
            }
            if p.utf8.contains(0) {
                throw ConfigError(
                    file: file, keyPath: keyPath, message: "the path holds a NUL character (\\u0000)",
                    hint: "Give \(what) without it.")
            }
            return FilePaths.join(base, p)
        }
        var top = try ConfigObject(file: file, path: "", value: value)
        version = try top.int("version", default: 1, range: 1...1)
        let asOfText = try asOfOverride ?? top.optionalString("as_of")
        if asOfOverride != nil { _ = top.raw("as_of") }
        // The plausible range is read first: as_of must fall in it.
        var ingRange = try top.object("ingest")
        var rangeObj = try ingRange.object("date_range")
        func rangeEnd(_ key: String, _ def: String) throws -> Day {
            let text = try rangeObj.string(key, default: def)
            guard let d = Day(iso: text) else {
                throw ConfigError(
                    file: file, keyPath: "ingest.date_range.\(key)", message: PipelineConfig.notADate(text),
                    hint: "Write it as YYYY-MM-DD, from 0001-01-01 to 9999-12-31 (default \(def)).")
            }
            return d
        }
        let rangeMin = try rangeEnd("min", "1900-01-01")
        let rangeMax = try rangeEnd("max", "2199-12-31")
        try rangeObj.finish()
        guard rangeMin <= rangeMax else {
            throw ConfigError(
                file: file, keyPath: "ingest.date_range", message: "min \(rangeMin) is after max \(rangeMax)",
                hint: "Give min on or before max, for example {\"min\": \"1900-01-01\", \"max\": \"2199-12-31\"}.")
        }
        dateRange = rangeMin...rangeMax
        if let t = asOfText {
            guard let d = Day(iso: t) else {
                throw ConfigError(
                    file: asOfOverride != nil ? "--as-of" : file, keyPath: asOfOverride != nil ? "" : "as_of",
                    message: PipelineConfig.notADate(t),
                    hint: "Write the observation date as YYYY-MM-DD, for example 2024-12-31.")
            }
            guard dateRange.contains(d) else {
                throw ConfigError(
                    file: asOfOverride != nil ? "--as-of" : file, keyPath: asOfOverride != nil ? "" : "as_of",
                    message: "\(t) is outside the plausible dates \(rangeMin) to \(rangeMax) (ingest.date_range)",
                    hint: "Use an observation date from \(rangeMin) to \(rangeMax), or widen ingest.date_range.")
            }
            asOf = d
        } else {
            // Default: the last day of the previous calendar month (UTC), the latest complete month;
            // "today" is SOURCE_DATE_EPOCH when set, so runs can be reproduced and tested.
            let epoch = try PipelineConfig.validatedSourceDateEpoch()
            let now = Day(raw: Int32((epoch ?? Int(Date().timeIntervalSince1970)) / 86400))
            asOf = now.month.firstDay - 1
            guard dateRange.contains(asOf) else {
                let source = epoch.map { "SOURCE_DATE_EPOCH=\($0) (\(now))" } ?? "today (\(now))"
                throw ConfigError(
                    file: epoch != nil ? "SOURCE_DATE_EPOCH" : file, keyPath: epoch != nil ? "" : "as_of",
                    message:
                        "the default as_of from \(source) is \(asOf), outside the plausible dates \(rangeMin) to \(rangeMax) (ingest.date_range)",
                    hint: epoch != nil
                        ? "Use a SOURCE_DATE_EPOCH whose previous month ends from \(rangeMin) to \(rangeMax), set as_of, or widen ingest.date_range."
                        : "Write as_of as a date from \(rangeMin) to \(rangeMax), or widen ingest.date_range.")
            }
        }
        // A SOURCE_DATE_EPOCH that is set is checked even when as_of is given: the report's footer shows it.
        _ = try PipelineConfig.validatedSourceDateEpoch()
        workDir = try resolve(top.string("work_dir", default: "data/work"), "work_dir", "a folder")
        reportsDir = try resolve(top.string("reports_dir", default: "reports"), "reports_dir", "a folder")
        threads = try top.int("threads", default: 0, range: 0...256)

        var cur = try top.object("currency")
        let report = try PipelineConfig.currencyCode(
            try cur.string("report", default: "USD"), file: file, keyPath: "currency.report",
            hint:
                "Write the three-letter code of the currency the report is in, for example \"JPY\" or \"USD\" (lower case is read as upper case)."
        )
        var rateObj = try cur.object("rates")
        var rates: [String: ExactDecimal] = [:]
        for (key, code) in try PipelineConfig.currencyKeys(rateObj, file: file, example: "\"USD\": 150.0") {
            let v = rateObj.raw(key) ?? .null
            guard case .number(let text) = v, let parsed = ExactDecimal.parseJSONNumber(text), parsed.mantissa > 0
            else {
                // A positive number too large or too small to hold exactly (1e50, 1e400, 1e-999).
                if case .number(let text) = v, !text.hasPrefix("-"),
                    text.prefix(while: { $0 != "e" && $0 != "E" }).contains(where: { ("1"..."9").contains($0) })
                {
                    throw ConfigError(
                        file: file, keyPath: "currency.rates.\(key)", message: "\(text) is out of range",
                        hint:
                            "Use a number from \(PipelineConfig.rateRangeText) (how many \(report) one \(code) is worth, for example 150.0)."
                    )
                }
                throw ConfigError(
                    file: file, keyPath: "currency.rates.\(key)",
                    message: "expected a positive number, found \(v.serialized())",
                    hint: "Give how many \(report) one \(code) is worth, for example 150.0.")
            }
            // Bounded so that amount × rate × 10^minor_units stays exact in 128 bits.
            let r = parsed.normalized
            let x = r.approximateValue
            guard x >= 1e-12, x <= 1e12, r.scale <= 18 else {
                throw ConfigError(
                    file: file, keyPath: "currency.rates.\(key)", message: "\(v.serialized()) is out of range",
                    hint:
                        "Use a number from \(PipelineConfig.rateRangeText) with at most 18 decimal places (how many \(report) one \(code) is worth, for example 150.0)."
                )
            }
            // The report currency converts at 1 whatever is written: any other rate for it would be ignored.
            guard code != report || (r.mantissa == 1 && r.scale == 0) else {
                throw ConfigError(
                    file: file, keyPath: "currency.rates.\(key)",
                    message: "\(v.serialized()) is a rate for the report currency \(report), which is always 1",
                    hint:
                        "Remove \"\(key)\" from currency.rates (amounts in \(report) are not converted), or set currency.report to the currency the rates convert into."
                )
            }
            rates[code] = r
        }
        var minorObj = try cur.object("minor_units")
        var minor: [String: Int] = [:]
        for (key, code) in try PipelineConfig.currencyKeys(minorObj, file: file, example: "\"JPY\": 0") {
            minor[code] = try minorObj.int(key, default: 2, range: 0...6)
        }
        try rateObj.finish()
        try minorObj.finish()
        try cur.finish()
        currency = CurrencyTable(report: report, rates: rates, minorUnits: minor)

        var srcObj = try top.object("sources")
        var sources: [SourceKind: Source] = [:]
        for kind in SourceKind.allCases {
            guard let raw = srcObj.raw(kind.rawValue), !raw.isNull else {
                if kind == .customers || kind == .subscriptions {
                    // A key spelled near it (`subscription`, `Customers`) is the one meant.
                    let names = Set(SourceKind.allCases.map(\.rawValue))
                    let near = Levenshtein.closest(
                        to: kind.rawValue, in: srcObj.pairs.map(\.0).filter { !names.contains($0) })
                    throw ConfigError(
                        file: file, keyPath: "sources.\(kind.rawValue)", message: "missing",
                        hint: (near.map {
                            "sources has \"\(KeyText.escaped($0))\": did you mean \"\(kind.rawValue)\"? "
                        }
                            ?? "")
                            + "Every run needs customers and subscriptions; add {\"path\": \"...\", \"format\": \"csv\"}."
                    )
                }
                continue
            }
            var s = try ConfigObject(file: file, path: "sources.\(kind.rawValue)", value: raw)
            guard let p = try s.optionalString("path") else {
                throw ConfigError(
                    file: file, keyPath: "sources.\(kind.rawValue).path", message: "missing",
                    hint: "Give the file's path.")
            }
            let defaultFormat = p.lowercased().hasSuffix(".jsonl") ? "jsonl" : "csv"
            let format =
                Format(rawValue: try s.string("format", default: defaultFormat, allowed: ["csv", "jsonl"])) ?? .csv
            let columns = Dictionary(try s.stringMap("columns"), uniquingKeysWith: { a, _ in a })
            // A mapping key that is no field of the source would be ignored, and the field it was
            // meant for read from its default column (or found missing): refuse it.
            if kind != .customers {
                for field in columns.keys.sorted() where !kind.fields.contains(field) {
                    let near = Levenshtein.closest(to: field, in: kind.fields)
                    throw ConfigError(
                        file: file, keyPath: "sources.\(kind.rawValue).columns.\(field)",
                        message: "\"\(KeyText.escaped(field))\" is not a field of \(kind.rawValue)",
                        hint: (near.map { "Did you mean \"\($0)\"? " } ?? "")
                            + "The keys of \"columns\" are the fields \(kind.fields.joined(separator: ", ")); each value is the file's column that holds the field."
                    )
                }
            }
            let delimiterText = try s.string("delimiter", default: ",")
            let delimiter: UInt8
            switch delimiterText {
            case ",": delimiter = 44
            case ";": delimiter = 59
            case "\t", "tab": delimiter = 9
            case "|": delimiter = 124
            default:
                throw ConfigError(
                    file: file, keyPath: "sources.\(kind.rawValue).delimiter",
                    message: "\"\(delimiterText)\" is not a supported delimiter",
                    hint: "Use \",\", \";\", \"\\t\" (tab) or \"|\".")
            }
            let enc = try s.string(
                "encoding", default: "utf-8", allowed: ["utf-8", "utf8", "shift_jis", "sjis", "cp932"])
            let dfText = try s.string(
                "date_format", default: DateFormat.iso.rawValue, allowed: DateFormat.allCases.map(\.rawValue))
            let tzText = try s.string("timezone", default: "UTC")
            guard let tz = SourceTimeZone(tzText) else {
                let offset = SourceTimeZone.offsetSeconds(tzText)
                throw ConfigError(
                    file: file, keyPath: "sources.\(kind.rawValue).timezone",
                    message: offset != nil
                        ? "the offset \"\(tzText)\" is outside -12:00 to +14:00"
                        : "unknown time zone \"\(tzText)\"",
                    hint:
                        "Use UTC, an offset from -12:00 to +14:00 written ±HH:MM (minutes 00-59) like +09:00, or an IANA name like Asia/Tokyo."
                )
            }
            let srcCurrency = try s.optionalString("currency").map {
                try PipelineConfig.currencyCode(
                    $0, file: file, keyPath: "sources.\(kind.rawValue).currency",
                    hint:
                        "Write the three-letter code of the currency of this source's rows without one, for example \"USD\" (lower case is read as upper case)."
                )
            }
            let optional = try s.bool("optional", default: kind == .cancellations || kind == .events)
            let amountUnit =
                kind == .subscriptions
                ? try s.string("amount_unit", default: "major", allowed: ["major", "minor"]) : "major"
            let ownRatio = s.raw("max_reject_ratio").map { !$0.isNull } ?? false
            let ratio = try s.double("max_reject_ratio", default: 0, range: 0...1)
            try s.finish()
            let path = try resolve(p, "sources.\(kind.rawValue).path", "the file's path")
            writtenPaths[kind] = p
            sources[kind] = Source(
                kind: kind, path: path, format: format, columns: columns,
                dialect: CSVDialect(delimiter: delimiter, encoding: enc.hasPrefix("utf") ? .utf8 : .shiftJIS),
                dateFormat: DateFormat(rawValue: dfText) ?? .iso, timezone: tz, currency: srcCurrency,
                optional: optional, maxRejectRatio: ownRatio ? ratio : nil, amountsInMinorUnits: amountUnit == "minor")
        }
        try srcObj.finish()
        self.sources = sources

        maxRejectRatio = try ingRange.double("max_reject_ratio", default: 0.01, range: 0...1)
        try ingRange.finish()
        var norm = try top.object("normalize")
        graceDays = try norm.int("grace_days", default: 0, range: 0...366)
        cohortBasis = try norm.string(
            "cohort_basis", default: "first_subscription", allowed: ["first_subscription", "signup_date"])
        try norm.finish()
        var coh = try top.object("cohort")
        maxOffsetMonths = try coh.int("max_offset_months", default: 24, range: 1...240)
        confidence = try coh.double("confidence", default: 0.95, range: 0.5...0.999)
        backtestMonths = try coh.int("backtest_months", default: 6, range: 0...120)
        driftConfidence = try coh.double("drift_confidence", default: 0.99, range: 0.5...0.9999)
        try coh.finish()
        var att = try top.object("attribution")
        dimensions = try Self.dimensions(
            att.stringArray("dimensions", default: ["acquisition_channel", "plan"]), file: file)
        earlyChurnDays = try att.int("early_churn_days", default: 90, range: 1...3650)
        minSegmentCustomers = try att.int("min_segment_customers", default: 30, range: 1...1_000_000)
        reasonCategories = try Self.reasonCategories(att.stringMap("reason_categories"), file: file)
        maxComparedValues = try att.int("max_compared_values", default: 20, range: 2...1000)
        var tiers = try att.object("touch_tiers")
        // ARR is 12 × MRR and one subscription's MRR is at most 10^15 minor units.
        let maxARR = 12 * Int(CheckedMinor.maxMRR)
        touchTierHighMinor = Int64(
            try tiers.int("high_arr_minor", default: 5_000_000, range: 0...maxARR))
        touchTierLowMinor = Int64(try tiers.int("low_arr_minor", default: 500_000, range: 0...maxARR))
        guard touchTierLowMinor <= touchTierHighMinor else {
            throw ConfigError(
                file: file, keyPath: "attribution.touch_tiers.low_arr_minor",
                message:
                    "\(tiers.written("low_arr_minor") ?? "\(touchTierLowMinor)") is above high_arr_minor \(tiers.written("high_arr_minor") ?? "\(touchTierHighMinor)")",
                hint: "Use a value from 0 to high_arr_minor (\(touchTierHighMinor)).")
        }
        try tiers.finish()
        var act = try att.object("activation")
        activationEvent = try act.optionalString("event")
        activationDays = try act.int("days", default: 30, range: 1...3650)
        try act.finish()
        var adoption = try att.object("adoption")
        adoptionMonths = try adoption.int("months", default: 2, range: 1...3)
        try adoption.finish()
        try att.finish()
        var rep = try top.object("report")
        locale = try rep.string("locale", default: "en", allowed: ["en", "ja"])
        // The default title follows the report's language.
        title = try rep.string("title", default: locale == "ja" ? "継続率レポート" : "Retention report")
        reportLabels = try rep.stringMap("labels")
        driftKPIPoints = try rep.double("drift_kpi_points", default: 5, range: 0...100)
        formats = try rep.stringArray("formats", default: ["md", "html"])
        maxChannels = try rep.int("max_channels", default: 12, range: 1...1000)
        maxMonths = try rep.int("max_months", default: 36, range: 1...1200)
        for f in formats where f != "md" && f != "html" {
            throw ConfigError(
                file: file, keyPath: "report.formats", message: "unknown format \"\(f)\"",
                hint: "Use \"md\" and/or \"html\".")
        }
        var checks: [Check] = []
        if let raw = rep.raw("checks"), !raw.isNull {
            guard let items = raw.arrayValue else {
                throw ConfigError(
                    file: file, keyPath: "report.checks", message: "expected an array",
                    hint: "Write [{\"metric\": \"nrr_trailing_12m\", \"min\": 1.0}].")
            }
            for (n, item) in items.enumerated() {
                var c = try ConfigObject(file: file, path: "report.checks[\(n)]", value: item)
                let metric = try c.string("metric", default: "")
                guard PipelineConfig.metricsForChecks.contains(metric) else {
                    throw ConfigError(
                        file: file, keyPath: "report.checks[\(n)].metric",
                        message: metric.isEmpty
                            ? "no metric" : "\"\(metric)\" is not a metric the checks can read",
                        hint: "Check one of: \(PipelineConfig.metricsForChecks.joined(separator: ", ")).")
                }
                let mn = try PipelineConfig.threshold(c.raw("min"), file: file, keyPath: "report.checks[\(n)].min")
                let mx = try PipelineConfig.threshold(c.raw("max"), file: file, keyPath: "report.checks[\(n)].max")
                if let mn, let mx, mn > mx {
                    throw ConfigError(
                        file: file, keyPath: "report.checks[\(n)]",
                        message: "min \(c.written("min") ?? "\(mn)") is above max \(c.written("max") ?? "\(mx)")",
                        hint: "Use a min no larger than the max.")
                }
                guard mn != nil || mx != nil else {
                    throw ConfigError(
                        file: file, keyPath: "report.checks[\(n)]", message: "no threshold",
                        hint: "Give \"min\" and/or \"max\".")
                }
                for (bound, value) in [("min", mn), ("max", mx)] {
                    guard let value else { continue }
                    if let message = PipelineConfig.thresholdProblem(
                        metric: metric, value: value, written: c.written(bound))
                    {
                        throw ConfigError(
                            file: file, keyPath: "report.checks[\(n)].\(bound)", message: message.0, hint: message.1)
                    }
                }
                try c.finish()
                checks.append(Check(metric: metric, min: mn, max: mx))
            }
        }
        self.checks = checks
        try rep.finish()
        try top.finish()
        resolved = []
        resolved = resolvedSections()
        sourceDateEpochValue = Self.sourceDateEpoch.map { .number(String($0)) } ?? .null
        try checkFolders()
    }

    /// How the allowed exchange rates are written in messages.
    static let rateRangeText = "0.000000000001 to 1000000000000"

    /// A check's threshold: absent or null is nil; otherwise a finite number of magnitude at most
    /// 10^18 (ratios and minor-unit amounts both fit).
    static func threshold(_ v: JSONValue?, file: String, keyPath: String) throws -> Double? {
        guard let v, !v.isNull else { return nil }
        guard let d = v.doubleValue else {
            throw ConfigError(
                file: file, keyPath: keyPath, message: "expected a number, found \(v.serialized())",
                hint: "Write a plain number, for example 0.9.")
        }
        guard !v.underflowsToZero else {
            throw ConfigError(
                file: file, keyPath: keyPath, message: "\(v.serialized()) \(JSONValue.underflowMessage)",
                hint: "Write 0 if zero is meant.")
        }
        guard d.isFinite, abs(d) <= 1e18 else {
            throw ConfigError(
                file: file, keyPath: keyPath, message: "\(v.serialized()) is out of range",
                hint: "Use a value from -1e18 to 1e18.")
        }
        return d
    }

    /// The resolved configuration, section by section, in a canonical form.
    private func resolvedSections() -> [(String, JSONValue)] {
        func s(_ x: String) -> JSONValue { .string(x) }
        func n(_ x: Double) -> JSONValue { .number(x.description) }
        func i<I: BinaryInteger>(_ x: I) -> JSONValue { .number(String(x)) }
        var srcs: [(String, JSONValue)] = []
        for kind in SourceKind.allCases {
            guard let src = sources[kind] else { continue }
            srcs.append(
                (
                    kind.rawValue,
                    .object(
                        [
                            ("path", s(writtenPaths[kind] ?? src.path)), ("format", s(src.format.rawValue)),
                            ("columns", .object(src.columns.sorted { $0.key < $1.key }.map { ($0.key, s($0.value)) })),
                            ("delimiter", s(String(UnicodeScalar(src.dialect.delimiter)))),
                            ("encoding", s(src.dialect.encoding == .utf8 ? "utf-8" : "shift_jis")),
                            ("date_format", s(src.dateFormat.rawValue)), ("timezone", s(src.timezone.canonical)),
                            ("currency", src.currency.map(s) ?? .null),
                            ("optional", .bool(src.optional)),
                        ] + (src.maxRejectRatio.map { [("max_reject_ratio", n($0))] } ?? [])
                            + (src.amountsInMinorUnits ? [("amount_unit", s("minor"))] : []))
                ))
        }
        return [
            ("as_of", s(asOf.description)),
            (
                "currency",
                .object([
                    ("report", s(currency.report)),
                    (
                        "rates",
                        .object(
                            currency.rates.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value.description)) })
                    ),
                    (
                        "minor_units",
                        .object(currency.minorUnits.sorted { $0.key < $1.key }.map { ($0.key, i($0.value)) })
                    ),
                ])
            ),
            ("sources", .object(srcs)),
            (
                "ingest",
                .object([
                    ("max_reject_ratio", n(maxRejectRatio)),
                    (
                        "date_range",
                        .object([
                            ("min", s(dateRange.lowerBound.description)), ("max", s(dateRange.upperBound.description)),
                        ])
                    ),
                ])
            ),
            ("normalize", .object([("grace_days", i(graceDays)), ("cohort_basis", s(cohortBasis))])),
            (
                "cohort",
                .object([
                    ("max_offset_months", i(maxOffsetMonths)), ("confidence", n(confidence)),
                    ("backtest_months", i(backtestMonths)), ("drift_confidence", n(driftConfidence)),
                ])
            ),
            (
                "attribution",
                .object([
                    ("dimensions", .array(dimensions.map(s))), ("early_churn_days", i(earlyChurnDays)),
                    ("min_segment_customers", i(minSegmentCustomers)), ("max_compared_values", i(maxComparedValues)),
                    ("reason_categories", .object(reasonCategories.map { ($0.0, s($0.1)) })),
                    (
                        "touch_tiers",
                        .object([("high_arr_minor", i(touchTierHighMinor)), ("low_arr_minor", i(touchTierLowMinor))])
                    ),
                    ("activation", .object([("event", activationEvent.map(s) ?? .null), ("days", i(activationDays))])),
                    ("adoption", .object([("months", i(adoptionMonths))])),
                ])
            ),
            (
                "report",
                .object([
                    ("title", s(title)), ("locale", s(locale)), ("formats", .array(formats.map(s))),
                    ("max_channels", i(maxChannels)), ("max_months", i(maxMonths)),
                    ("labels", .object(reportLabels.map { ($0.0, s($0.1)) })), ("drift_kpi_points", n(driftKPIPoints)),
                    (
                        "checks",
                        .array(
                            checks.map { c in
                                .object([
                                    ("metric", s(c.metric)), ("min", c.min.map(n) ?? .null),
                                    ("max", c.max.map(n) ?? .null),
                                ])
                            })
                    ),
                ])
            ),
        ]
    }

    /// The resolved values of the named sections, as recorded in a stage's manifest.
    /// A name `section.key` takes that one key of a section (cohort reads `report.max_channels`).
    public func section(_ names: [String]) -> JSONValue {
        var out: [(String, JSONValue)] = []
        for (name, value) in resolved {
            if names.contains(name) {
                out.append((name, value))
                continue
            }
            let keys = names.compactMap { n -> String? in
                n.hasPrefix(name + ".") ? String(n.dropFirst(name.count + 1)) : nil
            }
            if !keys.isEmpty, case .object(let pairs) = value {
                out.append((name, .object(pairs.filter { keys.contains($0.0) })))
            }
        }
        if names.contains(Self.sourceDateEpochSection) {
            out.append((Self.sourceDateEpochSection, sourceDateEpochValue))
        }
        return .object(out)
    }

    /// SHA-256 of the whole resolved configuration (source paths as written in the file, so the
    /// digest does not change with how the config's own path was given).
    public var digest: String { SHA256.hex(of: Array(JSONValue.object(resolved).serialized().utf8)) }

    /// `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) when set: the current time for reproducible
    /// runs. Every stage checks it when it loads the configuration (`validatedSourceDateEpoch`),
    /// so past that this is the variable's value or nil when it is unset.
    public static var sourceDateEpoch: Int? {
        (try? parseSourceDateEpoch(ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"])) ?? nil
    }

    /// The largest `SOURCE_DATE_EPOCH` taken: 9999-12-31T23:59:59Z.
    static let maxSourceDateEpoch = 253_402_300_799

    /// `SOURCE_DATE_EPOCH` from the environment, checked: nil when unset or empty.
    static func validatedSourceDateEpoch() throws -> Int? {
        try parseSourceDateEpoch(ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"])
    }

    /// Reads a `SOURCE_DATE_EPOCH` value: nil when absent or empty, else a whole number of seconds
    /// from 0 to 253402300799 (digits only, surrounding spaces allowed); anything else is a
    /// configuration error naming the variable.
    static func parseSourceDateEpoch(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        let v = text.trimmingCharacters(in: .whitespaces)
        if v.isEmpty { return nil }
        guard v.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(v), n <= maxSourceDateEpoch else {
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            throw ConfigError(
                file: "SOURCE_DATE_EPOCH", keyPath: "",
                message: v.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })
                    ? "\(shown) is out of range" : "\"\(shown)\" is not a whole number of seconds since 1970",
                hint:
                    "Use a whole number from 0 to \(maxSourceDateEpoch) (9999-12-31T23:59:59Z), for example 1717200000 for 2024-06-01, or unset it."
            )
        }
        return n
    }

    public func outputPath(_ stage: String, _ file: String) -> String { "\(workDir)/\(stage)/\(file)" }
}

extension JSONValue {
    /// This object with the value at the dotted `path` set (objects created on the way).
    func setting(_ path: String, to new: JSONValue) -> JSONValue {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        guard let key = parts.first else { return self }
        var pairs = objectValue ?? []
        let child = parts.count > 1 ? (self[key] ?? .object([])).setting(parts[1], to: new) : new
        if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = child } else { pairs.append((key, child)) }
        return .object(pairs)
    }

    /// A finite number as JSON text: whole numbers without a fraction.
    static func numberText(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }
}
