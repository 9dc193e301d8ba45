/// The plain data a report is rendered from: every value already computed by the marts.
///
/// Rendering code reads this model and only formats, scales and colours; it computes no metric.
/// Every section may be empty, and each renderer says "no data" for an empty section.
public struct ReportModel: Equatable, Sendable {
    public var title: String
    public var locale: ReportLocale
    /// Observation date, `YYYY-MM-DD`.
    public var asOf: String
    /// ISO 4217 code of the report currency, e.g. `JPY`.
    public var reportCurrency: String
    /// Digits after the decimal point of the report currency (`JPY` 0, `USD` 2).
    public var currencyMinorUnits: Int
    public var kpis: [HeadlineKPI]
    public var checks: [CheckResult]
    public var movements: [MovementRow]
    public var triangles: [RetentionTriangle]
    public var survival: [SurvivalCurve]
    public var logRank: LogRankSummary?
    public var attribution: AttributionSection
    public var cox: CoxSection
    public var reasons: ReasonsSection
    public var activation: [ActivationRow]
    public var impact: ImpactSection
    public var dataQuality: DataQualitySection?
    public var provenance: Provenance?
    /// Display labels for dimension names and values (`report.labels`).
    public var labels: [String: String] = [:]
    /// Channels pooled into `(other)` for display (`report.max_channels`); 0 when none.
    public var pooledChannels = 0
    /// The `report.max_channels` the report was limited to (shown in the pooling note).
    public var maxChannels = 12
    /// The dates the data covers, per source (shown in the header beside the as_of).
    public var coverage: [Manifest.Coverage] = []
    /// The projection backtest, horizons in order then the total (horizon 0).
    public var backtest: [BacktestRow] = []
    /// Cohorts whose newest cell fell below their predecessors' band (new since the last run).
    public var driftAlerts: [DriftAlertRow] = []
    /// Headline values that moved more than the configured points since the previous run.
    public var kpiMoves: [KPIMove] = []
    /// The accounts with the largest expected MRR loss in the next 90 days, per touch tier.
    public var atRisk = AtRiskSection()
    /// Success phases of each cohort over all channels, the overall row first.
    public var phases: [PhaseRow] = []

    public init(
        title: String, locale: ReportLocale = .en, asOf: String, reportCurrency: String,
        currencyMinorUnits: Int, kpis: [HeadlineKPI] = [], checks: [CheckResult] = [],
        movements: [MovementRow] = [], triangles: [RetentionTriangle] = [],
        survival: [SurvivalCurve] = [], logRank: LogRankSummary? = nil,
        attribution: AttributionSection = AttributionSection(), cox: CoxSection = CoxSection(),
        reasons: ReasonsSection = ReasonsSection(), activation: [ActivationRow] = [],
        impact: ImpactSection = ImpactSection(), dataQuality: DataQualitySection? = nil,
        provenance: Provenance? = nil
    ) {
        self.title = title
        self.locale = locale
        self.asOf = asOf
        self.reportCurrency = reportCurrency
        self.currencyMinorUnits = currencyMinorUnits
        self.kpis = kpis
        self.checks = checks
        self.movements = movements
        self.triangles = triangles
        self.survival = survival
        self.logRank = logRank
        self.attribution = attribution
        self.cox = cox
        self.reasons = reasons
        self.activation = activation
        self.impact = impact
        self.dataQuality = dataQuality
        self.provenance = provenance
    }
}

/// How a value is written: a ratio as a percentage, minor units as money, a count, or days.
public enum ValueKind: String, Equatable, Sendable {
    case percent, money, number, days
}

/// Where a headline value stands against the usual bar (for example NRR above 100%).
public enum KPIBand: String, Equatable, Sendable {
    case good, ok, bad, none
}

/// One headline metric with its band.
public struct HeadlineKPI: Equatable, Sendable {
    /// Metric id, e.g. `nrr_trailing_12m`; also the key of its localized name.
    public var id: String
    /// Ratio for `.percent`, minor units for `.money`, plain value otherwise; nil when undefined.
    public var value: Double?
    public var kind: ValueKind
    public var band: KPIBand
    /// The bar the band refers to, e.g. `>= 100%`; language-neutral.
    public var bandText: String
    /// Localization key of the one-line definition (see `ReportText.definition`).
    public var definitionKey: String

    public init(
        id: String, value: Double?, kind: ValueKind, band: KPIBand = .none, bandText: String = "", definitionKey: String
    ) {
        self.id = id
        self.value = value
        self.kind = kind
        self.band = band
        self.bandText = bandText
        self.definitionKey = definitionKey
    }
}

/// The outcome of one configured threshold check.
public struct CheckResult: Equatable, Sendable {
    public var metric: String
    /// The threshold as configured, e.g. `min 1.0`.
    public var threshold: String
    public var actual: Double?
    public var kind: ValueKind
    public var passed: Bool
    /// The configured bounds, in the metric's own unit (a ratio for percentages).
    public var min: Double?
    public var max: Double?

    public init(
        metric: String, threshold: String, actual: Double?, kind: ValueKind = .number, passed: Bool, min: Double? = nil,
        max: Double? = nil
    ) {
        self.metric = metric
        self.threshold = threshold
        self.actual = actual
        self.kind = kind
        self.passed = passed
        self.min = min
        self.max = max
    }
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

    public init(
        month: String, start: Int64, new: Int64, expansion: Int64, contraction: Int64, churn: Int64,
        reactivation: Int64, end: Int64
    ) {
        self.month = month
        self.start = start
        self.new = new
        self.expansion = expansion
        self.contraction = contraction
        self.churn = churn
        self.reactivation = reactivation
        self.end = end
    }
}

/// Retention triangle of one channel (or `(all)`).
public struct RetentionTriangle: Equatable, Sendable {
    public var channel: String
    /// Cohort rows in order, the `(weighted)` row last.
    public var rows: [TriangleRow]

    public init(channel: String, rows: [TriangleRow]) {
        self.channel = channel
        self.rows = rows
    }

    /// The largest offset any row has a slot for.
    public var maxOffset: Int { rows.map { max($0.logo.count, $0.revenue.count) }.max().map { $0 - 1 } ?? -1 }
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
    public var gross: [Double?]
    /// Projected logo and revenue retention for offsets not yet observable; nil elsewhere.
    public var projectedLogo: [Double?] = []
    public var projectedRevenue: [Double?] = []

    public init(cohort: String, customers: Int, logo: [Double?], revenue: [Double?], gross: [Double?] = []) {
        self.cohort = cohort
        self.customers = customers
        self.logo = logo
        self.revenue = revenue
        self.gross = gross
    }

    public var isWeighted: Bool { cohort == Self.weightedCohort }
}

/// Kaplan-Meier curve of one channel, sampled at month marks.
public struct SurvivalCurve: Equatable, Sendable {
    public var channel: String
    public var points: [SurvivalPoint]
    public var medianDays: Int?
    public var customers: Int
    public var churned: Int

    public init(channel: String, points: [SurvivalPoint], medianDays: Int?, customers: Int, churned: Int) {
        self.channel = channel
        self.points = points
        self.medianDays = medianDays
        self.customers = customers
        self.churned = churned
    }
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

    public init(month: Int, day: Int, survival: Double?, lower: Double?, upper: Double?, atRisk: Int) {
        self.month = month
        self.day = day
        self.survival = survival
        self.lower = lower
        self.upper = upper
        self.atRisk = atRisk
    }
}

/// Log-rank test between groups: chi-square statistic, degrees of freedom, p-value.
public struct LogRankSummary: Equatable, Sendable {
    public var statistic: Double?
    public var df: Int
    public var p: Double?

    public init(statistic: Double?, df: Int, p: Double?) {
        self.statistic = statistic
        self.df = df
        self.p = p
    }
}

/// Churn attribution by segment, with tests between segments.
public struct AttributionSection: Equatable, Sendable {
    /// The early-churn horizon in days (`attribution.early_churn_days`).
    public var earlyChurnDays: Int
    public var segments: [AttributionSegment]
    public var dimensionTests: [DimensionTest]
    public var pairwise: [PairwiseTest]
    /// Values per dimension left out of the report's segment tables (the most customers are
    /// shown); every value stays in `segments.jsonl`.
    public var omittedValues: [String: Int] = [:]

    public init(
        earlyChurnDays: Int = 90, segments: [AttributionSegment] = [], dimensionTests: [DimensionTest] = [],
        pairwise: [PairwiseTest] = []
    ) {
        self.earlyChurnDays = earlyChurnDays
        self.segments = segments
        self.dimensionTests = dimensionTests
        self.pairwise = pairwise
    }
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
    public var pooled: Bool

    public init(
        dimension: String, value: String, customers: Int, churned: Int, earlyChurn: Double?, earlyLower: Double?,
        earlyUpper: Double?, yearChurn: Double?, yearLower: Double?, yearUpper: Double?, churnedMRR12m: Int64,
        churnedMRRShare: Double?, relativeRisk: Double?, pooled: Bool = false
    ) {
        self.dimension = dimension
        self.value = value
        self.customers = customers
        self.churned = churned
        self.earlyChurn = earlyChurn
        self.earlyLower = earlyLower
        self.earlyUpper = earlyUpper
        self.yearChurn = yearChurn
        self.yearLower = yearLower
        self.yearUpper = yearUpper
        self.churnedMRR12m = churnedMRR12m
        self.churnedMRRShare = churnedMRRShare
        self.relativeRisk = relativeRisk
        self.pooled = pooled
    }
}

/// A dimension's log-rank p-value across its values.
public struct DimensionTest: Equatable, Sendable {
    public var dimension: String
    public var p: Double?

    public init(dimension: String, p: Double?) {
        self.dimension = dimension
        self.p = p
    }
}

/// Log-rank test between two values of a dimension, with the Holm-adjusted p-value.
public struct PairwiseTest: Equatable, Sendable {
    public var dimension: String
    public var a: String
    public var b: String
    public var statistic: Double?
    public var p: Double?
    public var pHolm: Double?

    public init(dimension: String, a: String, b: String, statistic: Double?, p: Double?, pHolm: Double?) {
        self.dimension = dimension
        self.a = a
        self.b = b
        self.statistic = statistic
        self.p = p
        self.pHolm = pHolm
    }
}

/// Cox proportional-hazards terms and the fitted model's summary.
public struct CoxSection: Equatable, Sendable {
    public var terms: [CoxTermRow]
    public var model: CoxModelInfo?

    public init(terms: [CoxTermRow] = [], model: CoxModelInfo? = nil) {
        self.terms = terms
        self.model = model
    }
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

    public init(
        dimension: String, level: String, reference: String, hazardRatio: Double?, lower: Double?, upper: Double?,
        p: Double?
    ) {
        self.dimension = dimension
        self.level = level
        self.reference = reference
        self.hazardRatio = hazardRatio
        self.lower = lower
        self.upper = upper
        self.p = p
    }
}

/// Size and fit of the Cox model.
public struct CoxModelInfo: Equatable, Sendable {
    public var n: Int
    public var events: Int
    public var concordance: Double?
    public var converged: Bool
    public var message: String?

    public init(n: Int, events: Int, concordance: Double?, converged: Bool, message: String? = nil) {
        self.n = n
        self.events = events
        self.concordance = concordance
        self.converged = converged
        self.message = message
    }
}

/// Exit reasons: per reason row, and per category totals as the mart wrote them.
public struct ReasonsSection: Equatable, Sendable {
    public var categories: [ReasonCategoryRow]
    public var rows: [ReasonRow]

    public init(categories: [ReasonCategoryRow] = [], rows: [ReasonRow] = []) {
        self.categories = categories
        self.rows = rows
    }
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

    public init(category: String, reason: String, channel: String, customers: Int, churnedMRR: Int64) {
        self.category = category
        self.reason = reason
        self.channel = channel
        self.customers = customers
        self.churnedMRR = churnedMRR
    }
}

/// Onboarding activation of one cohort and channel.
public struct ActivationRow: Equatable, Sendable {
    public var cohort: String
    public var channel: String
    public var customers: Int
    public var activated: Int
    public var rate: Double?
    /// Customers left out because their activation window had not closed at the as-of date.
    public var windowOpen: Int

    public init(cohort: String, channel: String, customers: Int, activated: Int, rate: Double?, windowOpen: Int = 0) {
        self.cohort = cohort
        self.channel = channel
        self.customers = customers
        self.activated = activated
        self.rate = rate
        self.windowOpen = windowOpen
    }
}

/// Revenue kept if segments churned at the overall rate.
public struct ImpactSection: Equatable, Sendable {
    public var rows: [ImpactRow]
    /// MRR a year that one point of monthly churn is worth overall, minor units.
    public var oneChurnPointPerYear: Int64?

    public init(rows: [ImpactRow] = [], oneChurnPointPerYear: Int64? = nil) {
        self.rows = rows
        self.oneChurnPointPerYear = oneChurnPointPerYear
    }
}

/// One segment's monthly churn against the overall rate, and the MRR a year that gap costs.
public struct ImpactRow: Equatable, Sendable {
    public var dimension: String
    public var value: String
    public var monthlyChurn: Double?
    public var overallMonthlyChurn: Double?
    public var mrrKeptPerYear: Int64

    public init(
        dimension: String, value: String, monthlyChurn: Double?, overallMonthlyChurn: Double?, mrrKeptPerYear: Int64
    ) {
        self.dimension = dimension
        self.value = value
        self.monthlyChurn = monthlyChurn
        self.overallMonthlyChurn = overallMonthlyChurn
        self.mrrKeptPerYear = mrrKeptPerYear
    }
}

/// Row counts and rejects of the ingest and normalize stages.
public struct DataQualitySection: Equatable, Sendable {
    public var sources: [SourceQuality]
    public var rejectReasons: [RejectReasonRow]
    public var orphans: [OrphanCount]
    /// Subscriptions with zero MRR (free plans, trials), which make no customer active.
    public var zeroMRRSubscriptions: Int
    /// What the run found missing or suspicious (absent columns or sources, a stale as_of).
    public var warnings: [String] = []

    public init(
        sources: [SourceQuality] = [], rejectReasons: [RejectReasonRow] = [], orphans: [OrphanCount] = [],
        zeroMRRSubscriptions: Int = 0
    ) {
        self.sources = sources
        self.rejectReasons = rejectReasons
        self.orphans = orphans
        self.zeroMRRSubscriptions = zeroMRRSubscriptions
    }
}

/// Reconciliation of one input source: read = accepted + rejected (duplicates merged).
public struct SourceQuality: Equatable, Sendable {
    public var source: String
    public var read: Int
    public var accepted: Int
    public var rejected: Int
    public var duplicates: Int

    public init(source: String, read: Int, accepted: Int, rejected: Int, duplicates: Int) {
        self.source = source
        self.read = read
        self.accepted = accepted
        self.rejected = rejected
        self.duplicates = duplicates
    }
}

/// A frequent reject reason of a source, with one offending raw line.
public struct RejectReasonRow: Equatable, Sendable {
    public var source: String
    public var reason: String
    public var count: Int
    public var exampleLine: String?

    public init(source: String, reason: String, count: Int, exampleLine: String?) {
        self.source = source
        self.reason = reason
        self.count = count
        self.exampleLine = exampleLine
    }
}

/// Rows of a source that refer to a customer missing from customers.
public struct OrphanCount: Equatable, Sendable {
    public var source: String
    public var count: Int

    public init(source: String, count: Int) {
        self.source = source
        self.count = count
    }
}

/// Where the numbers came from.
public struct Provenance: Equatable, Sendable {
    public var asOf: String
    public var configSHA256: String
    public var inputs: [InputDigest]
    public var toolVersion: String
    /// Wall-clock time of the run, as a preformatted string; the only such item in the report.
    public var runTimestamp: String

    public init(asOf: String, configSHA256: String, inputs: [InputDigest], toolVersion: String, runTimestamp: String) {
        self.asOf = asOf
        self.configSHA256 = configSHA256
        self.inputs = inputs
        self.toolVersion = toolVersion
        self.runTimestamp = runTimestamp
    }
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

    public init(
        horizon: Int, cells: Int, logoMAEPoints: Double?, logoCoverage: Double?, revenueMAEPoints: Double?,
        revenueCoverage: Double?
    ) {
        self.horizon = horizon
        self.cells = cells
        self.logoMAEPoints = logoMAEPoints
        self.logoCoverage = logoCoverage
        self.revenueMAEPoints = revenueMAEPoints
        self.revenueCoverage = revenueCoverage
    }
}

/// A cohort whose newest logo retention fell below the band of its predecessors at that age.
public struct DriftAlertRow: Equatable, Sendable {
    public var cohort: String
    public var channel: String
    public var offset: Int
    public var logo: Double?
    public var bandLower: Double?
    public var predecessorsRetention: Double?

    public init(
        cohort: String, channel: String, offset: Int, logo: Double?, bandLower: Double?, predecessorsRetention: Double?
    ) {
        self.cohort = cohort
        self.channel = channel
        self.offset = offset
        self.logo = logo
        self.bandLower = bandLower
        self.predecessorsRetention = predecessorsRetention
    }
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
    var localizer: Localizer { Localizer(locale: locale, labels: labels) }
    /// Numbers, money and dates formatted for this report's language and currency.
    var formatter: ReportFormatter {
        ReportFormatter(locale: locale, currency: reportCurrency, minorUnits: currencyMinorUnits)
    }
}

/// The top of `at_risk.jsonl`: the first `perTier` accounts of each touch tier, in file order.
public struct AtRiskSection: Equatable, Sendable {
    /// Accounts shown per touch tier.
    public static let perTier = 10
    public var rows: [AtRiskRecord]
    /// Accounts in the file (active at as_of), shown or not.
    public var accounts: Int

    /// How the accounts flagged `cohort.backtest_months` earlier fared, when known.
    public var backtest: AtRiskBacktestRow?

    public init(rows: [AtRiskRecord] = [], accounts: Int = 0) {
        self.rows = rows
        self.accounts = accounts
    }
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

    public init(
        asOf: String, months: Int, accounts: Int, topDecile: Int, topDecileRate: Double?, baseRate: Double?,
        lift: Double?
    ) {
        self.asOf = asOf
        self.months = months
        self.accounts = accounts
        self.topDecile = topDecile
        self.topDecileRate = topDecileRate
        self.baseRate = baseRate
        self.lift = lift
    }
}

/// One success phase of one cohort as phases.jsonl states it: reached of eligible, and the rate.
public struct PhaseCount: Equatable, Sendable {
    public var customers: Int
    public var reached: Int
    /// Nil when no customer is eligible yet.
    public var rate: Double?

    public init(customers: Int, reached: Int, rate: Double?) {
        self.customers = customers
        self.reached = reached
        self.rate = rate
    }
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

    public init(cohort: String, customers: Int, activation: PhaseCount?, adoption: PhaseCount?, expansion: PhaseCount?)
    {
        self.cohort = cohort
        self.customers = customers
        self.activation = activation
        self.adoption = adoption
        self.expansion = expansion
    }
}
