import Foundation

/// The run's configuration, read from `pipeline.json` (SPEC §3). Every key has a default; unknown
/// keys are errors. Relative paths are resolved against the folder holding the config file.
public struct PipelineConfig: Sendable {
    public enum SourceKind: String, CaseIterable, Sendable { case customers, subscriptions, cancellations, events }
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
    public var graceDays: Int
    public var cohortBasis: String
    public var maxOffsetMonths: Int
    public var confidence: Double
    /// `cohort.backtest_months`: how far back the projection backtest recomputes (0: no backtest).
    public var backtestMonths: Int
    /// `cohort.drift_confidence`: two-sided level of the predecessors' band for drift alerts.
    public var driftConfidence: Double
    public var dimensions: [String]
    public var earlyChurnDays: Int
    public var minSegmentCustomers: Int
    public var reasonCategories: [(String, String)]
    public var touchTierHighMinor: Int64
    public var touchTierLowMinor: Int64
    public var activationEvent: String?
    public var activationDays: Int
    public var title: String
    public var locale: String
    /// `report.drift_kpi_points`: a ratio KPI moving more than this many percentage points since
    /// the previous run is a drift alert.
    public var driftKPIPoints: Double
    /// `report.labels`: display labels for dimension names and values, in file order.
    public var reportLabels: [(String, String)]
    public var formats: [String]
    public var checks: [Check]
    /// Canonical JSON of each section as resolved (defaults filled in), for manifests and digests.
    public var resolved: [(String, JSONValue)]

    /// Why a check's threshold cannot be meant as written, with a hint; nil when it can. Ratios
    /// are written as ratios (1.0 for 100%): NRR may reach a few times its base, the other
    /// ratios lie in 0...1, and money thresholds are whole minor units of the report currency.
    static func thresholdProblem(metric: String, value: Double) -> (String, String)? {
        guard value.isFinite else { return ("the threshold is not a finite number", "Write a plain number.") }
        if metric == "drift_alerts" {
            return value < 0 || value > 1e6 || value != value.rounded()
                ? ("drift_alerts counts alerts; \(value) is not a whole number from 0", "Write \"max\": 0 to fail on any drift alert.")
                : nil
        }
        if metric.hasSuffix("_minor") {
            return value < 0 || value > 1e15
                ? ("\(metric) is money in minor units of the report currency; \(value) is out of range (0 to 10^15)", "Write the amount in minor units, e.g. 5000000 for ¥5,000,000.")
                : nil
        }
        let upper = metric == "nrr_trailing_12m" ? 10.0 : 1.0
        guard value < 0 || value > upper else { return nil }
        let percent = value > upper && value <= 100 * upper ? " (did you mean \(value / 100)?)" : ""
        return ("\(metric) is a ratio between 0 and \(upper == 1 ? "1" : "10"), not \(value)\(percent)",
                "Write ratios as decimals: 1.0 for 100%, 0.9 for 90%.")
    }

    public static let metricsForChecks = [
        "nrr_trailing_12m", "grr_trailing_12m", "logo_churn_monthly", "logo_churn_annual",
        "upsell_rate_trailing_12m", "cross_sell_rate_trailing_12m", "activation_rate", "ltv_churn_minor", "ltv_survival_minor",
        "drift_alerts",
    ]

    /// Loads and validates a config file; `asOfOverride` is the `--as-of` flag.
    public static func load(path: String, asOfOverride: String? = nil) throws -> PipelineConfig {
        let bytes: [UInt8]
        do {
            bytes = try FilePaths.readAll(path)
        } catch InputError.cannotRead(_, let reason) {
            if !FilePaths.exists(path) {
                throw ConfigError(file: path, keyPath: "", message: "configuration file not found",
                                  hint: "Run from the project folder, or pass --config PATH.")
            }
            throw ConfigError(file: path, keyPath: "", message: "cannot read the configuration (\(reason))", hint: "Check the file's permissions.")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch let e as JSONParseError {
            throw ConfigError(file: path, keyPath: "", message: "not valid JSON at \(e)", hint: "Fix the JSON syntax (a trailing comma or a missing quote is the usual cause).")
        }
        return try PipelineConfig(value: value, file: path, asOfOverride: asOfOverride)
    }

    public init(value: JSONValue, file: String, asOfOverride: String? = nil) throws {
        self.file = file
        let base = FilePaths.directory(of: file)
        func resolve(_ p: String) -> String { FilePaths.join(base, p) }
        var top = try ConfigObject(file: file, path: "", value: value)
        version = try top.int("version", default: 1, range: 1...1)
        let asOfText = try asOfOverride ?? top.optionalString("as_of")
        if asOfOverride != nil { _ = top.raw("as_of") }
        if let t = asOfText {
            guard let d = Day(iso: t) else {
                throw ConfigError(file: asOfOverride != nil ? "--as-of" : file, keyPath: asOfOverride != nil ? "" : "as_of",
                                  message: "\"\(t)\" is not a date", hint: "Write the observation date as YYYY-MM-DD, for example 2024-12-31.")
            }
            asOf = d
        } else {
            // Default: the last day of the previous calendar month (UTC), the latest complete month.
            let now = Day(raw: Int32(Int(Date().timeIntervalSince1970) / 86400))
            asOf = now.month.firstDay - 1
        }
        workDir = resolve(try top.string("work_dir", default: "data/work"))
        reportsDir = resolve(try top.string("reports_dir", default: "reports"))
        threads = try top.int("threads", default: 0, range: 0...256)

        var cur = try top.object("currency")
        let report = try cur.string("report", default: "USD")
        var rateObj = try cur.object("rates")
        var rates: [String: ExactDecimal] = [:]
        for (code, v) in rateObj.pairs {
            _ = rateObj.raw(code)
            guard case .number(let text) = v, let r = ExactDecimal.parseJSONNumber(text), r.mantissa > 0 else {
                throw ConfigError(file: file, keyPath: "currency.rates.\(code)", message: "expected a positive number, found \(v.serialized())",
                                  hint: "Give how many \(report) one \(code) is worth, for example 150.0.")
            }
            rates[code] = r
        }
        var minorObj = try cur.object("minor_units")
        var minor: [String: Int] = [:]
        for (code, _) in minorObj.pairs { minor[code] = try minorObj.int(code, default: 2, range: 0...6) }
        try rateObj.finish(); try minorObj.finish(); try cur.finish()
        currency = CurrencyTable(report: report, rates: rates, minorUnits: minor)

        var srcObj = try top.object("sources")
        var sources: [SourceKind: Source] = [:]
        for kind in SourceKind.allCases {
            guard let raw = srcObj.raw(kind.rawValue), !raw.isNull else {
                if kind == .customers || kind == .subscriptions {
                    throw ConfigError(file: file, keyPath: "sources.\(kind.rawValue)", message: "missing",
                                      hint: "Every run needs customers and subscriptions; add {\"path\": \"...\", \"format\": \"csv\"}.")
                }
                continue
            }
            var s = try ConfigObject(file: file, path: "sources.\(kind.rawValue)", value: raw)
            guard let p = try s.optionalString("path") else {
                throw ConfigError(file: file, keyPath: "sources.\(kind.rawValue).path", message: "missing", hint: "Give the file's path.")
            }
            let defaultFormat = p.lowercased().hasSuffix(".jsonl") ? "jsonl" : "csv"
            let format = Format(rawValue: try s.string("format", default: defaultFormat, allowed: ["csv", "jsonl"])) ?? .csv
            let columns = Dictionary(try s.stringMap("columns"), uniquingKeysWith: { a, _ in a })
            let delimiterText = try s.string("delimiter", default: ",")
            let delimiter: UInt8
            switch delimiterText {
            case ",": delimiter = 44
            case ";": delimiter = 59
            case "\t", "tab": delimiter = 9
            case "|": delimiter = 124
            default:
                throw ConfigError(file: file, keyPath: "sources.\(kind.rawValue).delimiter", message: "\"\(delimiterText)\" is not a supported delimiter",
                                  hint: "Use \",\", \";\", \"\\t\" (tab) or \"|\".")
            }
            let enc = try s.string("encoding", default: "utf-8", allowed: ["utf-8", "utf8", "shift_jis", "sjis", "cp932"])
            let dfText = try s.string("date_format", default: DateFormat.iso.rawValue, allowed: DateFormat.allCases.map(\.rawValue))
            let tzText = try s.string("timezone", default: "UTC")
            guard let tz = SourceTimeZone(tzText) else {
                throw ConfigError(file: file, keyPath: "sources.\(kind.rawValue).timezone", message: "unknown time zone \"\(tzText)\"",
                                  hint: "Use UTC, an offset like +09:00, or an IANA name like Asia/Tokyo.")
            }
            let srcCurrency = try s.optionalString("currency")
            let optional = try s.bool("optional", default: kind == .cancellations || kind == .events)
            try s.finish()
            sources[kind] = Source(kind: kind, path: resolve(p), format: format, columns: columns,
                                   dialect: CSVDialect(delimiter: delimiter, encoding: enc.hasPrefix("utf") ? .utf8 : .shiftJIS),
                                   dateFormat: DateFormat(rawValue: dfText) ?? .iso, timezone: tz, currency: srcCurrency, optional: optional)
        }
        try srcObj.finish()
        self.sources = sources

        var ing = try top.object("ingest")
        maxRejectRatio = try ing.double("max_reject_ratio", default: 0.01, range: 0...1)
        try ing.finish()
        var norm = try top.object("normalize")
        graceDays = try norm.int("grace_days", default: 0, range: 0...366)
        cohortBasis = try norm.string("cohort_basis", default: "first_subscription", allowed: ["first_subscription", "signup_date"])
        try norm.finish()
        var coh = try top.object("cohort")
        maxOffsetMonths = try coh.int("max_offset_months", default: 24, range: 1...240)
        confidence = try coh.double("confidence", default: 0.95, range: 0.5...0.999)
        backtestMonths = try coh.int("backtest_months", default: 6, range: 0...120)
        driftConfidence = try coh.double("drift_confidence", default: 0.99, range: 0.5...0.9999)
        try coh.finish()
        var att = try top.object("attribution")
        dimensions = try att.stringArray("dimensions", default: ["acquisition_channel", "plan"])
        earlyChurnDays = try att.int("early_churn_days", default: 90, range: 1...3650)
        minSegmentCustomers = try att.int("min_segment_customers", default: 30, range: 1...1_000_000)
        reasonCategories = try att.stringMap("reason_categories")
        var tiers = try att.object("touch_tiers")
        touchTierHighMinor = Int64(try tiers.int("high_arr_minor", default: 5_000_000, range: 0...Int.max))
        touchTierLowMinor = Int64(try tiers.int("low_arr_minor", default: 500_000, range: 0...Int.max))
        try tiers.finish()
        var act = try att.object("activation")
        activationEvent = try act.optionalString("event")
        activationDays = try act.int("days", default: 30, range: 1...3650)
        try act.finish()
        try att.finish()
        var rep = try top.object("report")
        locale = try rep.string("locale", default: "en", allowed: ["en", "ja"])
        // The default title follows the report's language.
        title = try rep.string("title", default: locale == "ja" ? "継続率レポート" : "Retention report")
        reportLabels = try rep.stringMap("labels")
        driftKPIPoints = try rep.double("drift_kpi_points", default: 5, range: 0...100)
        formats = try rep.stringArray("formats", default: ["md", "html"])
        for f in formats where f != "md" && f != "html" {
            throw ConfigError(file: file, keyPath: "report.formats", message: "unknown format \"\(f)\"", hint: "Use \"md\" and/or \"html\".")
        }
        var checks: [Check] = []
        if let raw = rep.raw("checks"), !raw.isNull {
            guard let items = raw.arrayValue else {
                throw ConfigError(file: file, keyPath: "report.checks", message: "expected an array", hint: "Write [{\"metric\": \"nrr_trailing_12m\", \"min\": 1.0}].")
            }
            for (n, item) in items.enumerated() {
                var c = try ConfigObject(file: file, path: "report.checks[\(n)]", value: item)
                let metric = try c.string("metric", default: "", allowed: PipelineConfig.metricsForChecks)
                let mn = c.raw("min").flatMap(\.doubleValue), mx = c.raw("max").flatMap(\.doubleValue)
                guard mn != nil || mx != nil else {
                    throw ConfigError(file: file, keyPath: "report.checks[\(n)]", message: "no threshold", hint: "Give \"min\" and/or \"max\".")
                }
                for (bound, value) in [("min", mn), ("max", mx)] {
                    guard let value else { continue }
                    if let message = PipelineConfig.thresholdProblem(metric: metric, value: value) {
                        throw ConfigError(file: file, keyPath: "report.checks[\(n)].\(bound)", message: message.0, hint: message.1)
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
    }

    /// The resolved configuration, section by section, in a canonical form.
    private func resolvedSections() -> [(String, JSONValue)] {
        func s(_ x: String) -> JSONValue { .string(x) }
        func n(_ x: Double) -> JSONValue { .number(x.description) }
        func i<I: BinaryInteger>(_ x: I) -> JSONValue { .number(String(x)) }
        var srcs: [(String, JSONValue)] = []
        for kind in SourceKind.allCases {
            guard let src = sources[kind] else { continue }
            srcs.append((kind.rawValue, .object([
                ("path", s(src.path)), ("format", s(src.format.rawValue)),
                ("columns", .object(src.columns.sorted { $0.key < $1.key }.map { ($0.key, s($0.value)) })),
                ("delimiter", s(String(UnicodeScalar(src.dialect.delimiter)))),
                ("encoding", s(src.dialect.encoding == .utf8 ? "utf-8" : "shift_jis")),
                ("date_format", s(src.dateFormat.rawValue)), ("currency", src.currency.map(s) ?? .null),
                ("optional", .bool(src.optional)),
            ])))
        }
        return [
            ("as_of", s(asOf.description)),
            ("currency", .object([("report", s(currency.report)),
                                  ("rates", .object(currency.rates.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value.description)) })),
                                  ("minor_units", .object(currency.minorUnits.sorted { $0.key < $1.key }.map { ($0.key, i($0.value)) }))])),
            ("sources", .object(srcs)),
            ("ingest", .object([("max_reject_ratio", n(maxRejectRatio))])),
            ("normalize", .object([("grace_days", i(graceDays)), ("cohort_basis", s(cohortBasis))])),
            ("cohort", .object([("max_offset_months", i(maxOffsetMonths)), ("confidence", n(confidence)), ("backtest_months", i(backtestMonths)), ("drift_confidence", n(driftConfidence))])),
            ("attribution", .object([
                ("dimensions", .array(dimensions.map(s))), ("early_churn_days", i(earlyChurnDays)),
                ("min_segment_customers", i(minSegmentCustomers)),
                ("reason_categories", .object(reasonCategories.map { ($0.0, s($0.1)) })),
                ("touch_tiers", .object([("high_arr_minor", i(touchTierHighMinor)), ("low_arr_minor", i(touchTierLowMinor))])),
                ("activation", .object([("event", activationEvent.map(s) ?? .null), ("days", i(activationDays))])),
            ])),
            ("report", .object([("title", s(title)), ("locale", s(locale)), ("formats", .array(formats.map(s))),
                                ("labels", .object(reportLabels.map { ($0.0, s($0.1)) })), ("drift_kpi_points", n(driftKPIPoints)),
                                ("checks", .array(checks.map { c in .object([("metric", s(c.metric)), ("min", c.min.map(n) ?? .null), ("max", c.max.map(n) ?? .null)]) }))])),
        ]
    }

    /// The resolved values of the named sections, as recorded in a stage's manifest.
    public func section(_ names: [String]) -> JSONValue {
        .object(resolved.filter { names.contains($0.0) })
    }

    /// SHA-256 of the whole resolved configuration.
    public var digest: String { SHA256.hex(of: Array(JSONValue.object(resolved).serialized().utf8)) }

    public func outputPath(_ stage: String, _ file: String) -> String { "\(workDir)/\(stage)/\(file)" }
}
