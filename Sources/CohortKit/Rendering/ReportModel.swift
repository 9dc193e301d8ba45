/// The plain data a report is rendered from: every value already computed by the marts.
///
/// Rendering code reads this model and only formats, scales and colours; it computes no metric.
/// Every section may be empty, and each renderer says "no data" for an empty section.
public struct ReportModel: Equatable, Sendable {
    public var title: String
    public var locale: ReportLocale = .en
    /// Observation date, `YYYY-MM-DD`.
    public var asOf: String
    /// ISO 4217 code of the report currency, e.g. `JPY`.
    public var reportCurrency: String
    /// Digits after the decimal point of the report currency (`JPY` 0, `USD` 2).
    public var currencyMinorUnits: Int
    public var kpis: [HeadlineKPI] = []
    public var checks: [CheckResult] = []
    public var movements: [MovementRow] = []
    public var triangles: [RetentionTriangle] = []
    public var survival: [SurvivalCurve] = []
    public var logRank: LogRankSummary? = nil
    public var attribution: AttributionSection = AttributionSection()
    public var cox: CoxSection = CoxSection()
    public var reasons: ReasonsSection = ReasonsSection()
    public var activation: [ActivationRow] = []
    public var impact: ImpactSection = ImpactSection()
    public var dataQuality: DataQualitySection? = nil
    public var provenance: Provenance? = nil
    /// Display labels for dimension names and values (`report.labels`).
    public var labels: [String: String] = [:]
    /// Level of the survival and segment confidence intervals (`cohort.confidence`).
    public var confidence = 0.95
    /// `normalize.cohort_basis` is `signup_date`: cohorts are signup months, not the months of
    /// first subscriptions (the texts naming them say which).
    public var cohortsBySignup = false
    /// Channels pooled into `(other)` for display (`report.max_channels`); 0 when none.
    public var pooledChannels = 0
    /// The `report.max_channels` the report was limited to (shown in the pooling note).
    public var maxChannels = 12
    /// Signup months left out of the cohort tables for display (`report.max_months`); 0 when
    /// none. `firstShownCohort` is the earliest month shown, `maxMonths` the limit.
    public var hiddenCohorts = 0
    public var firstShownCohort = ""
    public var maxMonths = 36
    /// Calendar months left out of the MRR movements for display (the earliest ones).
    public var hiddenMovementMonths = 0
    /// The dates the data covers, per source (shown in the header beside the as_of).
    public var coverage: [Manifest.Coverage] = []
    /// The projection backtest, horizons in order then the total (horizon 0).
    public var backtest: [BacktestRow] = []
    /// Set when the backtest compared no cell: where it cut, and the first signup month.
    public var emptyBacktest: EmptyBacktest? = nil
    /// Cohorts whose newest cell fell below their predecessors' band (new since the last run).
    public var driftAlerts: [DriftAlertRow] = []
    /// Headline values that moved more than the configured points since the previous run.
    public var kpiMoves: [KPIMove] = []
    /// The accounts with the largest expected MRR loss in the next 90 days, per touch tier.
    public var atRisk = AtRiskSection()
    /// Success phases of each cohort over all channels, the overall row first.
    public var phases: [PhaseRow] = []
    /// Why `activation` is empty, when the configuration or the events explain it.
    public var activationAbsent: AbsentInput? = nil
}

/// How a value is written: a ratio as a percentage, minor units as money, a count, or days.
public enum ValueKind: String, Equatable, Sendable {
    case percent, money, number, days

    /// `v` as summary.json and kpis.csv write it: a whole amount or count as an integer, anything
    /// else as the shortest text that reads back as the same double (never rounded onto a bar it
    /// misses); nil when undefined.
    public func exactText(_ v: Double?) -> String? {
        guard let v, v.isFinite else { return nil }
        if self == .money || self == .number, v == v.rounded(), v.magnitude < 0x1p63 { return String(Int64(v)) }
        return v.description
    }
}

/// Where a headline value stands against the usual bar (for example NRR above 100%).
public enum KPIBand: String, Equatable, Sendable {
    case good, ok, bad, none

    /// The band's mark in the HTML report and in the Markdown summary ("" when unbanded).
    func mark(markdown: Bool) -> String {
        switch self {
        case .good: return markdown ? "✅ " : "▲"
        case .ok: return markdown ? "🟡 " : "●"
        case .bad: return markdown ? "❌ " : "▼"
        case .none: return ""
        }
    }
}

/// One headline metric with its band.
public struct HeadlineKPI: Equatable, Sendable {
    /// Metric id, e.g. `nrr_trailing_12m`; also the key of its localized name.
    public var id: String
    /// Ratio for `.percent`, minor units for `.money`, plain value otherwise; nil when undefined.
    public var value: Double?
    public var kind: ValueKind
    public var band: KPIBand = .none
    /// The bar the band refers to, e.g. `>= 100%`; language-neutral.
    public var bandText: String = ""
    /// Localization key of the one-line definition (see `ReportText.definition`).
    public var definitionKey: String
    /// Set when the band was withheld because too few customers or months stand behind the value
    /// (`MetricCatalog.thinBase`): the report says so instead of a verdict.
    public var thinBase: ThinBase? = nil

    /// What too little stands behind a headline value.
    public enum ThinBase: Equatable, Sendable {
        /// The customers the value is measured on (the trailing-12-month base, or those paying at as_of).
        case customers(Int)
        /// The months the monthly logo churn is averaged over.
        case months(Int)
    }

    /// The bars of its band (none without one): the value is shown with the decimals it takes
    /// not to read as a bar it is not.
    public var bars: [Double] { MetricCatalog.metric(id)?.band?.bars ?? [] }

    /// The value as summary.json and kpis.csv write it (`ValueKind.exactText`).
    public var exactText: String? { kind.exactText(value) }
}

/// The outcome of one configured threshold check.
public struct CheckResult: Equatable, Sendable {
    public var metric: String
    /// The threshold as configured, e.g. `min 1.0`.
    public var threshold: String
    public var actual: Double?
    public var kind: ValueKind = .number
    public var passed: Bool
    /// The configured bounds, in the metric's own unit (a ratio for percentages).
    public var min: Double? = nil
    public var max: Double? = nil

    /// Its thresholds: the value is shown with the decimals it takes not to read as one it is not.
    public var bars: [Double] { [min, max].compactMap { $0 } }
}

/// MRR movements of one month for all channels, in report-currency minor units.
public struct MovementRow: Equatable, Sendable {
    /// `YYYY-MM`.
    public var month: String
    public var start: Int64
    public var new: Int64
    public var expansion: Int64
    public var contraction: Int64
    public var churn: Int64
    public var reactivation: Int64
    public var end: Int64
}

/// Retention triangle of one channel (or `(all)`).
public struct RetentionTriangle: Equatable, Sendable {
    public var channel: String
    /// Cohort rows in order, the `(weighted)` row last.
    public var rows: [TriangleRow]
    /// Customers of the cohort rows left out for display (`ReportModel.limitingMonths`).
    public var hiddenCustomers = 0

    /// Customers of every cohort of the channel, shown or not.
    public var customers: Int { rows.reduce(hiddenCustomers) { $1.isWeighted ? $0 : $0 + $1.customers } }

    /// The largest offset any row has a slot for.
    public var maxOffset: Int { rows.map { max($0.logo.count, $0.revenue.count) }.max().map { $0 - 1 } ?? -1 }
}

/// The month offsets the Markdown and HTML reports show as columns of triangles and retention
/// curve tables: every month up to `monthly` (three years), then every twelfth month and the last
/// one. A long history (`cohort.max_offset_months` up to 240, with a projection for every offset
/// of every shown cohort) then widens the pages by a column a year, not a month: 54 columns
/// instead of 241 (report.html 9 MB instead of 35 on 100,000 generated customers).
/// `triangles.csv` and the stage outputs keep every month; the curves' lines too.
public enum ShownOffsets {
    /// Offsets up to this one are all shown.
    public static let monthly = 36

    /// The offsets shown for a table whose last offset is `maxOffset` (none when it is negative).
    public static func upTo(_ maxOffset: Int) -> [Int] {
        guard maxOffset >= 0 else { return [] }
        guard maxOffset > monthly else { return Array(0...maxOffset) }
        return Array(0...monthly) + Array(stride(from: monthly + 12, to: maxOffset, by: 12)) + [maxOffset]
    }

    /// Whether a table up to `maxOffset` leaves months out.
    public static func leavesOutMonths(_ maxOffset: Int) -> Bool { maxOffset > monthly + 1 }

    /// Whether some triangle of `model` leaves months out (the pages then say so).
    public static func leaveOutMonths(in model: ReportModel) -> Bool {
        model.triangles.contains { leavesOutMonths($0.maxOffset) }
    }

    /// `values` at `offsets` (nil past its end).
    static func pick<T>(_ values: [T?], at offsets: [Int]) -> [T?] {
        offsets.map { $0 < values.count ? values[$0] : nil }
    }
}

/// One cohort's row of a triangle; index = month offset.
public struct TriangleRow: Equatable, Sendable {
    /// Cohort label used for the pooled row of complete cells.
    public static let weightedCohort = "(weighted)"

    /// `YYYY-MM` or `(weighted)`.
    public var cohort: String
    public var customers: Int
    /// Logo retention per offset; nil = cell absent (not yet observable, or undefined).
    public var logo: [Double?]
    /// Revenue retention per offset; nil = cell absent.
    public var revenue: [Double?]
    /// Gross revenue retention per offset (expansion not counted); nil = cell absent.
    public var gross: [Double?] = []
    /// Projected logo and revenue retention for offsets not yet observable; nil elsewhere.
    public var projectedLogo: [Double?] = []
    public var projectedRevenue: [Double?] = []

    public var isWeighted: Bool { cohort == Self.weightedCohort }
}

/// Kaplan-Meier curve of one channel, sampled at month marks.
public struct SurvivalCurve: Equatable, Sendable {
    public var channel: String
    public var points: [SurvivalPoint]
    public var medianDays: Int?
    public var customers: Int
    public var churned: Int
}

/// S(t) with its confidence bounds at one month mark.
public struct SurvivalPoint: Equatable, Sendable {
    /// Month mark k.
    public var month: Int
    /// Day t_k = round(30.4375 k).
    public var day: Int
    public var survival: Double?
    public var lower: Double?
    public var upper: Double?
    public var atRisk: Int
}

/// Log-rank test between groups: chi-square statistic, degrees of freedom, p-value.
public struct LogRankSummary: Equatable, Sendable {
    public var statistic: Double?
    public var df: Int
    public var p: Double?
}

/// Churn attribution by segment, with tests between segments.
public struct AttributionSection: Equatable, Sendable {
    /// The early-churn horizon in days (`attribution.early_churn_days`).
    public var earlyChurnDays: Int = 90
    public var segments: [AttributionSegment] = []
    public var dimensionTests: [DimensionTest] = []
    public var pairwise: [PairwiseTest] = []
    /// Values per dimension left out of the report's segment tables (the most customers are
    /// shown); every value stays in `segments.jsonl`.
    public var omittedValues: [String: Int] = [:]
}

/// One value of one attribution dimension.
public struct AttributionSegment: Equatable, Sendable {
    public var dimension: String
    public var value: String
    public var customers: Int
    public var churned: Int
    public var earlyChurn: Double?
    public var earlyLower: Double?
    public var earlyUpper: Double?
    public var yearChurn: Double?
    public var yearLower: Double?
    public var yearUpper: Double?
    /// Churned MRR (churn + contraction) in the trailing 12 months, minor units.
    public var churnedMRR12m: Int64
    public var churnedMRRShare: Double?
    public var relativeRisk: Double?
    /// True for the `(other)` row pooling small values.
    public var pooled: Bool = false
}

/// A dimension's log-rank p-value across its values.
public struct DimensionTest: Equatable, Sendable {
    public var dimension: String
    public var p: Double?
}

/// Log-rank test between two values of a dimension, with the Holm-adjusted p-value.
public struct PairwiseTest: Equatable, Sendable {
    public var dimension: String
    public var a: String
    public var b: String
    public var statistic: Double?
    public var p: Double?
    public var pHolm: Double?
}

/// Cox proportional-hazards terms and the fitted model's summary.
public struct CoxSection: Equatable, Sendable {
    public var terms: [CoxTermRow] = []
    public var model: CoxModelInfo? = nil
    /// Terms of dimension values the report leaves out (`report.max_channels` per dimension).
    public var hiddenTerms = 0
}

/// Hazard ratio of one level against its dimension's reference level.
public struct CoxTermRow: Equatable, Sendable {
    public var dimension: String
    public var level: String
    public var reference: String
    public var hazardRatio: Double?
    public var lower: Double?
    public var upper: Double?
    public var p: Double?
}

/// Size and fit of the Cox model.
public struct CoxModelInfo: Equatable, Sendable {
    public var n: Int
    public var events: Int
    public var concordance: Double?
    public var converged: Bool
    public var message: String? = nil
    /// Levels nobody in them has left, whose customers the model was fitted without, and how
    /// many customers that set aside.
    public var setAside: [DimensionLevel] = []
    public var setAsideCustomers = 0
    /// `message`'s notes with their values (none from a cox_model.json written before notes
    /// were recorded), and the model's dimensions, which name the notes' terms.
    public var notes: [CoxNote] = []
    public var dimensions: [String] = []

    /// Why there was nothing to fit (nobody in the model, or nobody who churned): then the model
    /// was not fitted rather than failing to converge. Nil otherwise, or when the notes are not
    /// recorded.
    public var nothingToFit: CoxNote? { notes.first { $0 == .noEvents || $0 == .noSubjects } }

    /// Term names (`dimension=level`) back to (dimension, level) by the model's dimensions, the
    /// longest that prefixes a name first (a dimension or a level may hold "="); a name none
    /// prefixes stays whole, without a dimension.
    public static func levels(_ names: [String], dimensions: [String]) -> [DimensionLevel] {
        names.map { name in
            let d = dimensions.filter { name.utf8.starts(with: ($0 + "=").utf8) }.max { $0.utf8.count < $1.utf8.count }
            return d.map {
                DimensionLevel(
                    dimension: $0, level: String(decoding: name.utf8.dropFirst($0.utf8.count + 1), as: UTF8.self))
            } ?? DimensionLevel(dimension: "", level: name)
        }
    }
}

/// A level of an attribution dimension (`dimension` empty when not known).
public struct DimensionLevel: Equatable, Sendable {
    public var dimension: String
    public var level: String

    public init(dimension: String, level: String) {
        self.dimension = dimension
        self.level = level
    }
}

/// Exit reasons: per reason row, and per category totals as the mart wrote them.
public struct ReasonsSection: Equatable, Sendable {
    public var categories: [ReasonCategoryRow] = []
    public var rows: [ReasonRow] = []
    /// Reason rows summed into their channel and category's `(other)` row for display
    /// (`ReportModel.limitReasons`); 0 when none.
    public var hiddenRows = 0
    /// Why there are no exit reasons, when the input explains it (no cancellations read, or none
    /// dated by as_of).
    public var absent: AbsentInput? = nil
}

/// Why a section fed by an optional input is empty, as the configuration and ingest's manifest
/// tell it.
public enum AbsentInput: Equatable, Sendable {
    /// No `sources.<source>` is configured.
    case sourceNotConfigured(String)
    /// The optional source's file was not found when ingest ran.
    case sourceNotFound(String)
    /// Ingest read the source and accepted none of its `read` rows (0: it had none).
    case sourceEmpty(String, read: Int)
    /// Ingest accepted `accepted` rows of the source, none dated on or before `asOf` (an ISO date).
    case sourceAfterAsOf(String, accepted: Int, asOf: String)
    /// No `attribution.activation.event` is configured.
    case noActivationEvent
    /// The events hold no event of that name of a known customer.
    case activationEventNotSeen(String)
}

/// Customers and churned MRR of one exit-reason category over all channels.
public struct ReasonCategoryRow: Equatable, Sendable {
    public var category: String
    public var customers: Int
    public var churnedMRR: Int64
}

/// One cancellation reason within a channel and category.
public struct ReasonRow: Equatable, Sendable {
    public var category: String
    public var reason: String
    public var channel: String
    public var customers: Int
    public var churnedMRR: Int64
}

/// Onboarding activation of one cohort and channel.
public struct ActivationRow: Equatable, Sendable {
    public var cohort: String
    public var channel: String
    public var customers: Int
    public var activated: Int
    public var rate: Double?
    /// Customers left out because their activation window had not closed at the as-of date.
    public var windowOpen: Int = 0
}

/// Revenue kept if segments churned at the overall rate.
public struct ImpactSection: Equatable, Sendable {
    public var rows: [ImpactRow] = []
    /// MRR a year that one point of monthly churn is worth overall, minor units.
    public var oneChurnPointPerYear: Int64? = nil
    /// Rows of dimension values the report leaves out (`report.max_channels` per dimension).
    public var hiddenRows = 0
}

/// One segment's monthly churn against the overall rate, and the MRR a year that gap costs.
public struct ImpactRow: Equatable, Sendable {
    public var dimension: String
    public var value: String
    public var monthlyChurn: Double?
    public var overallMonthlyChurn: Double?
    /// nil when the segment has no monthly churn rate (no base in any month): shown as "—".
    public var mrrKeptPerYear: Int64?
}

/// Row counts and rejects of the ingest and normalize stages.
public struct DataQualitySection: Equatable, Sendable {
    public var sources: [SourceQuality] = []
    public var rejectReasons: [RejectReasonRow] = []
    public var orphans: [OrphanCount] = []
    /// Subscriptions with zero MRR (free plans, trials), which make no customer active.
    public var zeroMRRSubscriptions: Int = 0
    /// What the run found missing or suspicious (absent columns or sources, a stale as_of).
    public var warnings: [DataWarning] = []
}

/// Reconciliation of one input source: read = accepted + rejected (duplicates merged).
public struct SourceQuality: Equatable, Sendable {
    public var source: String
    public var read: Int
    public var accepted: Int
    public var rejected: Int
    public var duplicates: Int
}

/// A frequent reject reason of a source, with one offending raw line.
public struct RejectReasonRow: Equatable, Sendable {
    public var source: String
    public var reason: String
    public var count: Int
    public var exampleLine: String?
}

/// Rows of a source that refer to a customer missing from customers.
public struct OrphanCount: Equatable, Sendable {
    public var source: String
    public var count: Int
}

/// Where the numbers came from.
public struct Provenance: Equatable, Sendable {
    public var asOf: String
    public var configSHA256: String
    public var inputs: [InputDigest]
    public var toolVersion: String
    /// Wall-clock time of the run (`SOURCE_DATE_EPOCH`), as a preformatted string; the only such
    /// item in the report. Nil when there is none: the footer then names `asOf` and `dataThrough`.
    public var runTimestamp: String?
    /// The last date seen in any source (`YYYY-MM-DD`), nil when no source has one.
    public var dataThrough: String? = nil
}

/// One input file's identity, as ingest's manifest records it.
public typealias InputDigest = Manifest.Input

/// Accuracy of the projections at one horizon, from the cohort stage's backtest.
public struct BacktestRow: Equatable, Sendable {
    /// Months past the earlier cut-off; 0 for all horizons together.
    public var horizon: Int
    public var cells: Int
    public var logoMAEPoints: Double?
    public var logoCoverage: Double?
    public var revenueMAEPoints: Double?
    public var revenueCoverage: Double?
}

/// A backtest that compared no cell: the month it projected from (`cohort.backtest_months`
/// before the last complete month), and the first signup month in the data (nil when none), to
/// tell whether it cut before the data began.
public struct EmptyBacktest: Equatable, Sendable {
    /// `YYYY-MM`.
    public var cutoff: String
    /// `YYYY-MM`.
    public var firstCohort: String?

    /// Whether the cut-off month falls before the first signup month.
    public var beforeData: Bool { firstCohort.map { cutoff < $0 } ?? true }
}

/// A cohort whose newest logo retention fell below the band of its predecessors at that age.
public struct DriftAlertRow: Equatable, Sendable {
    public var cohort: String
    public var channel: String
    public var offset: Int
    public var logo: Double?
    public var bandLower: Double?
    public var predecessorsRetention: Double?
}

/// A headline value that moved more than `report.drift_kpi_points` since the previous run.
public struct KPIMove: Equatable, Sendable {
    public var id: String
    public var before: Double
    public var after: Double
    /// The as_of of the run compared with.
    public var previousAsOf: String
}

extension ReportModel {
    /// The labels and words of this report's language, with its `report.labels`.
    var localizer: Localizer {
        Localizer(locale: locale, labels: labels, confidence: confidence, cohortsBySignup: cohortsBySignup)
    }
    /// Numbers, money and dates formatted for this report's language and currency.
    var formatter: ReportFormatter {
        ReportFormatter(locale: locale, currency: reportCurrency, minorUnits: currencyMinorUnits)
    }
}

/// The top of `at_risk.jsonl`: the first `perTier` accounts of each touch tier, in file order.
public struct AtRiskSection: Equatable, Sendable {
    /// Accounts shown per touch tier.
    public static let perTier = 10
    public var rows: [AtRiskRecord] = []
    /// Accounts in the file (active at as_of), shown or not.
    public var accounts: Int = 0

    /// How the accounts flagged `cohort.backtest_months` earlier fared, when known.
    public var backtest: AtRiskBacktestRow?
}

/// The at-risk backtest as churn-attribution wrote it: the top tenth of accounts scored at an
/// earlier date against all of them, on churn in the 90 days that followed.
public struct AtRiskBacktestRow: Equatable, Sendable {
    public var asOf: String
    public var months: Int
    public var accounts: Int
    public var topDecile: Int
    public var topDecileRate: Double?
    public var baseRate: Double?
    public var lift: Double?
}

/// One success phase of one cohort as phases.jsonl states it: reached of eligible, and the rate.
public struct PhaseCount: Equatable, Sendable {
    public var customers: Int
    public var reached: Int
    /// Nil when no customer is eligible yet.
    public var rate: Double?
}

/// One cohort's success phases (all channels): each phase as reached of eligible customers.
public struct PhaseRow: Equatable, Sendable {
    /// A month, or `(all)` for the overall row.
    public var cohort: String
    public var customers: Int
    /// Nil when no activation event is configured.
    public var activation: PhaseCount?
    public var adoption: PhaseCount?
    public var expansion: PhaseCount?
}
