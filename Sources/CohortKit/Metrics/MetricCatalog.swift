/// The headline metrics, each described once: its id, what kind of value it is, whether a check
/// may read it and in what range, its customer-success band, and where docs/metrics.md defines it.
///
/// The config's checks (`report.checks`), the report's headline table and bands, and the
/// localized names (`Localizer.metricName`) all read this list.
public enum MetricCatalog {
    /// What a value is, which fixes how it is shown and what a threshold on it may be.
    public enum Kind: String, Sendable {
        /// A share of a whole, 0 ... 1, shown as a percentage.
        case percent
        /// A quotient that may pass 1 (NRR), shown as a percentage.
        case ratio
        /// An amount in minor units of the report currency.
        case money
        /// A whole number of things (customers, alerts).
        case count
    }

    /// Where a metric's value comes from.
    public enum Source: Sendable {
        /// A member of cohort's kpis.json, named by the metric's id.
        case kpis
        /// The `(all)` row of churn-attribution's activation.jsonl.
        case activation
        /// Counted by the report: drift alerts and headline moves since the previous run.
        case report
    }

    /// A customer-success band: where a value is good, within reach, or bad (docs/metrics.md#customer-success-bars).
    ///
    /// The band holds the numbers; its words (the bars in words, and what good, ok and bad are called)
    /// are report text, kept with the report's other words and found by the band's id
    /// (`Localizer.bandBars`, `Localizer.bandStatus`).
    public struct Band: Sendable {
        /// Which band it is: the key of its words.
        public let id: BandID
        /// Whether higher values are better (retention) or lower ones (churn).
        public let higherIsBetter: Bool
        /// The bar for good, and the bar for ok (within reach).
        public let good: Double, ok: Double

        /// Its two bars, the values a shown number must not be rounded onto (`ReportFormatter.value(_:kind:bars:)`).
        public var bars: [Double] { [good, ok] }

        /// The band of `v`: at or past `good` is good, at or past `ok` is ok, else bad.
        public func band(_ v: Double) -> KPIBand {
            if higherIsBetter { return v >= good ? .good : v >= ok ? .ok : .bad }
            return v <= good ? .good : v <= ok ? .ok : .bad
        }
    }

    /// The customer-success bands by name, one per set of bars (NRR and projected NRR share one).
    public enum BandID: Sendable, CaseIterable {
        case nrr, grr, annualChurn, monthlyChurn, activation
    }

    /// One headline metric.
    public struct Metric: Sendable {
        /// The id checks name it by: its kpis.json key for the metrics cohort computes.
        public let id: String
        /// The id in the report, summary.json and the run history (the money ones drop `_minor`, the
        /// trailing-window rates their `_trailing_12m`, as the report has always named them).
        public let reportID: String
        public let kind: Kind
        public let source: Source
        /// Whether `report.checks` may name it, and the thresholds it accepts there.
        public let checkable: Bool
        public let validRange: ClosedRange<Double>
        public let band: Band?
        /// Whether the report's headline table shows it.
        public let headline: Bool
        /// The section of docs/metrics.md that defines it.
        public let anchor: String

        /// The band of `v` and the bars in words for `locale`; `.none` and "" without a value or a band.
        public func banded(_ v: Double?, locale: ReportLocale) -> (KPIBand, String) {
            guard let v, let band else { return (.none, "") }
            return (band.band(v), Localizer(locale: locale).bandBars(band.id))
        }

        /// How the report shows a value of this kind.
        public var valueKind: ValueKind {
            switch kind {
            case .percent, .ratio: return .percent
            case .money: return .money
            case .count: return .number
            }
        }
    }

    static let share: ClosedRange<Double> = 0...1
    /// NRR may reach a few times its base.
    static let multiple: ClosedRange<Double> = 0...10
    /// Money thresholds: whole minor units up to 10^15 (the per-subscription MRR limit).
    static let amount: ClosedRange<Double> = 0...1e15
    static let alerts: ClosedRange<Double> = 0...1e6

    /// The fewest customers (and months) behind a value for the report to band it: a rate of a
    /// handful of customers, or of one month, is shown without a verdict (docs/metrics.md#customer-success-bars).
    public static let minimumBandedCustomers = 30
    public static let minimumBandedMonths = 3

    /// Why a headline value of `kpis` should not be banded, or nil: the trailing-12-month rates on
    /// fewer than `minimumBandedCustomers` base customers; the monthly and annual logo churn over
    /// fewer than `minimumBandedMonths` months or of a mean monthly base under that many customers
    /// (customers paying at as_of for a kpis.json without it); the 12-month projections, carried
    /// forward from the months observed, with fewer than `minimumBandedMonths` of them or fewer
    /// than `minimumBandedCustomers` customers paying at as_of.
    public static func thinBase(_ id: String, _ kpis: KPIsRecord) -> HeadlineKPI.ThinBase? {
        typealias K = KPIsRecord.CodingKeys
        switch id {
        case K.nrrTrailing12m.id, K.grrTrailing12m.id, K.logoChurnTrailing12m.id:
            return kpis.trailing12mBaseCustomers < minimumBandedCustomers
                ? .customers(kpis.trailing12mBaseCustomers) : nil
        case K.logoChurnMonthly.id, K.logoChurnAnnual.id:
            if kpis.logoChurnMonthlyMonths < minimumBandedMonths { return .months(kpis.logoChurnMonthlyMonths) }
            let base = kpis.logoChurnMonthlyBaseCustomers ?? kpis.activeCustomers
            return base < minimumBandedCustomers ? .customers(base) : nil
        case K.projectedNRR12m.id, K.projectedLogoChurn12m.id:
            if kpis.logoChurnMonthlyMonths < minimumBandedMonths { return .months(kpis.logoChurnMonthlyMonths) }
            return kpis.activeCustomers < minimumBandedCustomers ? .customers(kpis.activeCustomers) : nil
        default: return nil
        }
    }

    static let nrrBand = Band(id: .nrr, higherIsBetter: true, good: 1.2, ok: 1.0)
    static let grrBand = Band(id: .grr, higherIsBetter: true, good: 0.9, ok: 0.8)
    // Churn: at or under the 10%-a-year bar is good; up to 15% a year is within reach; above is bad.
    static let annualChurnBand = Band(id: .annualChurn, higherIsBetter: false, good: 0.10, ok: 0.15)
    // The annual bars as monthly rates: 10% a year is 0.87% a month, 15% a year 1.35%.
    static let monthlyChurnBand = Band(id: .monthlyChurn, higherIsBetter: false, good: 0.0087, ok: 0.0135)
    static let activationBand = Band(id: .activation, higherIsBetter: true, good: 0.8, ok: 0.6)

    /// Every metric, in the order of the report's headline table (then those it does not show).
    public static let all: [Metric] = {
        typealias K = KPIsRecord.CodingKeys
        // The report id is the metric's own unless given.
        func m(
            _ id: String, _ kind: Kind, _ source: Source = .kpis, report: String? = nil, checkable: Bool,
            range: ClosedRange<Double>, band: Band? = nil, headline: Bool = true, anchor: String = "headline-kpis"
        ) -> Metric {
            Metric(
                id: id, reportID: report ?? id, kind: kind, source: source, checkable: checkable, validRange: range,
                band: band, headline: headline, anchor: anchor)
        }
        return [
            m(K.nrrTrailing12m.id, .ratio, checkable: true, range: multiple, band: nrrBand),
            m(K.grrTrailing12m.id, .percent, checkable: true, range: share, band: grrBand),
            m(K.logoChurnAnnual.id, .percent, checkable: true, range: share, band: annualChurnBand),
            m(K.logoChurnMonthly.id, .percent, checkable: true, range: share, band: monthlyChurnBand),
            m(K.ltvSurvivalMinor.id, .money, report: "ltv_survival", checkable: true, range: amount),
            m(K.ltvChurnMinor.id, .money, report: "ltv_churn", checkable: true, range: amount),
            m(K.arpaMinor.id, .money, report: "arpa", checkable: false, range: amount),
            m(K.upsellRateTrailing12m.id, .percent, report: "upsell_rate", checkable: true, range: share),
            m(K.crossSellRateTrailing12m.id, .percent, report: "cross_sell_rate", checkable: true, range: share),
            m(
                "activation_rate", .percent, .activation, checkable: true, range: share, band: activationBand,
                anchor: "activation"),
            m(K.mrrMinor.id, .money, report: "mrr", checkable: false, range: amount),
            m(K.activeCustomers.id, .count, checkable: false, range: 0...Double(Int64.max)),
            m(
                K.projectedNRR12m.id, .ratio, checkable: true, range: multiple, band: nrrBand,
                anchor: "projected-retention"),
            m(
                K.projectedLogoChurn12m.id, .percent, checkable: true, range: share, band: annualChurnBand,
                anchor: "projected-retention"),
            m("drift_alerts", .count, .report, checkable: true, range: alerts, headline: false, anchor: "drift-alerts"),
        ]
    }()

    /// The report ids summary.md lists, in its order: the bars first (retention, churn,
    /// activation, their projections), then value and size.
    public static let summaryHeadline = [
        "nrr_trailing_12m", "grr_trailing_12m", "logo_churn_annual", "logo_churn_monthly", "activation_rate",
        "projected_nrr_12m", "projected_logo_churn_12m", "ltv_survival", "ltv_churn", "mrr", "active_customers",
    ]

    /// The metrics `report.checks` may name, in catalog order.
    public static var checkable: [Metric] { all.filter(\.checkable) }
    /// The metrics of the report's headline table, in its order.
    public static var headline: [Metric] { all.filter(\.headline) }

    /// The metric with check id `id`, or with report id `id`; nil when there is none.
    public static func metric(_ id: String) -> Metric? {
        all.first { $0.id == id } ?? all.first { $0.reportID == id }
    }

    /// A headline value's band and the bars in words for `locale`; `.none` and "" without a value or a band.
    public static func band(_ id: String, _ v: Double?, locale: ReportLocale = .en) -> (KPIBand, String) {
        metric(id)?.banded(v, locale: locale) ?? (.none, "")
    }
}
