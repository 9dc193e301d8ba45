@testable import CohortKit

/// A small hand-built report: 2 channels, 3 cohorts, 4 months, with hostile strings from data
/// (a channel named like a script tag, a reason shaped like a spreadsheet formula).
enum SampleReportModel {
    static let scriptChannel = "<script>alert(1)</script>"
    static let formulaReason = "=cmd|' /C calc'!A0"

    static func make(locale: ReportLocale) -> ReportModel {
        var model = base(locale: locale)
        // A customer id shaped like markup and a table cell break, escaped like every data string.
        model.atRisk = AtRiskSection(
            rows: [
                AtRiskRecord(
                    customerID: "c-<b>9</b>|x", touchTier: "high_touch", mrrMinor: 600_000, relativeHazard: 2.41,
                    churnProb90d: 0.1875,
                    expectedMRRLoss90dMinor: 112_500,
                    drivers: [
                        .init(dimension: "acquisition_channel", level: scriptChannel, hazardRatio: 2.5),
                        .init(dimension: "plan", level: "starter", hazardRatio: 1.75),
                    ]),
                AtRiskRecord(
                    customerID: "c-3", touchTier: "tech_touch", mrrMinor: 9_000, relativeHazard: 0.62,
                    churnProb90d: 0.04,
                    expectedMRRLoss90dMinor: 360, drivers: []),
            ], accounts: 14)
        model.phases = [
            PhaseRow(
                cohort: "(all)", customers: 10, activation: .init(customers: 8, reached: 7, rate: 0.875),
                adoption: .init(customers: 6, reached: 3, rate: 0.5),
                expansion: .init(customers: 4, reached: 1, rate: 0.25)),
            PhaseRow(
                cohort: "2024-09", customers: 10, activation: .init(customers: 8, reached: 7, rate: 0.875),
                adoption: .init(customers: 6, reached: 3, rate: 0.5),
                expansion: .init(customers: 4, reached: 1, rate: 0.25)),
            PhaseRow(
                cohort: "2024-12", customers: 3, activation: .init(customers: 0, reached: 0, rate: nil), adoption: nil,
                expansion: .init(customers: 0, reached: 0, rate: nil)),
        ]
        return model
    }

    static func base(locale: ReportLocale) -> ReportModel {
        let channels = ["(all)", "organic", scriptChannel]
        return ReportModel(
            title: locale == .en ? "Retention report" : "継続率レポート",
            locale: locale,
            asOf: "2024-12-31",
            reportCurrency: "JPY",
            currencyMinorUnits: 0,
            kpis: [
                HeadlineKPI(
                    id: "nrr_trailing_12m", value: 1.042, kind: .percent, band: .ok, bandText: ">= 100%",
                    definitionKey: "nrr_trailing_12m"),
                HeadlineKPI(
                    id: "grr_trailing_12m", value: 0.871, kind: .percent, band: .none, definitionKey: "grr_trailing_12m"
                ),
                HeadlineKPI(
                    id: "logo_churn_annual", value: 0.184, kind: .percent, band: .bad, bandText: "<= 10%",
                    definitionKey: "logo_churn_annual"),
                HeadlineKPI(
                    id: "activation_rate", value: 0.7, kind: .percent, band: .ok, bandText: ">= 80%",
                    definitionKey: "activation_rate"),
                HeadlineKPI(id: "ltv_churn", value: 1_234_567, kind: .money, band: .none, definitionKey: "ltv_churn"),
                HeadlineKPI(id: "upsell_rate", value: nil, kind: .percent, band: .none, definitionKey: "upsell_rate"),
            ],
            checks: [
                CheckResult(
                    metric: "nrr_trailing_12m", threshold: "min 1.0", actual: 1.042, kind: .percent, passed: true,
                    min: 1.0),
                CheckResult(
                    metric: "logo_churn_annual", threshold: "max 0.1", actual: 0.184, kind: .percent, passed: false,
                    max: 0.1),
            ],
            movements: [
                MovementRow(
                    month: "2024-09", start: 0, new: 300_000, expansion: 0, contraction: 0, churn: 0, reactivation: 0,
                    end: 300_000),
                MovementRow(
                    month: "2024-10", start: 300_000, new: 150_000, expansion: 20_000, contraction: 10_000,
                    churn: 50_000, reactivation: 0, end: 410_000),
                MovementRow(
                    month: "2024-11", start: 410_000, new: 120_000, expansion: 0, contraction: 30_000, churn: 100_000,
                    reactivation: 25_000, end: 425_000),
                MovementRow(
                    month: "2024-12", start: 425_000, new: 0, expansion: 5_000, contraction: 0, churn: 80_000,
                    reactivation: 0, end: 350_000),
            ],
            triangles: channels.map { channel in
                RetentionTriangle(
                    channel: channel,
                    rows: [
                        TriangleRow(
                            cohort: "2024-09", customers: 10, logo: [1.0, 0.9, 0.8, 0.7],
                            revenue: [1.0, 0.95, 1.12, 0.81], gross: [1.0, 0.9, 0.78, 0.7]),
                        TriangleRow(
                            cohort: "2024-10", customers: 8, logo: [1.0, 0.75, 0.625, nil],
                            revenue: [1.0, 0.8, 0.7, nil], gross: [1.0, 0.76, 0.6, nil]),
                        TriangleRow(
                            cohort: "2024-11", customers: 4, logo: [1.0, 0.5, nil, nil],
                            revenue: [1.0, 0.45, nil, nil], gross: [1.0, 0.45, nil, nil]),
                        TriangleRow(
                            cohort: "(weighted)", customers: 22, logo: [1.0, 0.773, 0.722, 0.7],
                            revenue: [1.0, 0.82, 0.95, 0.81], gross: [1.0, 0.77, 0.71, 0.7]),
                    ])
            },
            survival: channels.enumerated().map { i, channel in
                let drop = 0.08 * Double(i + 1)
                return SurvivalCurve(
                    channel: channel,
                    points: (1...3).map { k in
                        let s = 1 - drop * Double(k)
                        return SurvivalPoint(
                            month: k, day: [30, 61, 91][k - 1], survival: s, lower: s - 0.1, upper: min(1, s + 0.08),
                            atRisk: 22 - 4 * k)
                    }, medianDays: i == 2 ? 91 : nil, customers: 22, churned: 3 + i)
            },
            logRank: LogRankSummary(statistic: 3.2149, df: 1, p: 0.0729),
            attribution: AttributionSection(
                earlyChurnDays: 90,
                segments: [
                    AttributionSegment(
                        dimension: "acquisition_channel", value: "organic", customers: 12, churned: 3, earlyChurn: 0.1,
                        earlyLower: 0.03, earlyUpper: 0.3,
                        yearChurn: 0.25, yearLower: 0.1, yearUpper: 0.5, churnedMRR12m: 90_000, churnedMRRShare: 0.333,
                        relativeRisk: 0.82),
                    AttributionSegment(
                        dimension: "acquisition_channel", value: scriptChannel, customers: 10, churned: 5,
                        earlyChurn: 0.3, earlyLower: 0.12, earlyUpper: 0.58,
                        yearChurn: 0.5, yearLower: 0.25, yearUpper: 0.78, churnedMRR12m: 180_000,
                        churnedMRRShare: 0.667, relativeRisk: 1.36),
                    AttributionSegment(
                        dimension: "plan", value: "(other)", customers: 22, churned: 8, earlyChurn: 0.2,
                        earlyLower: nil, earlyUpper: nil,
                        yearChurn: nil, yearLower: nil, yearUpper: nil, churnedMRR12m: 270_000, churnedMRRShare: 1.0,
                        relativeRisk: 1.0, pooled: true),
                ],
                dimensionTests: [
                    DimensionTest(dimension: "acquisition_channel", p: 0.0329),
                    DimensionTest(dimension: "plan", p: nil),
                ],
                pairwise: [
                    PairwiseTest(
                        dimension: "acquisition_channel", a: "organic", b: scriptChannel, statistic: 3.2149, p: 0.0729,
                        pHolm: 0.0729)
                ]),
            cox: CoxSection(
                terms: [
                    CoxTermRow(
                        dimension: "acquisition_channel", level: scriptChannel, reference: "organic", hazardRatio: 2.31,
                        lower: 0.92, upper: 5.8, p: 0.0745),
                    CoxTermRow(
                        dimension: "plan", level: "pro", reference: "basic", hazardRatio: 0.45, lower: 0.12, upper: 1.7,
                        p: 0.0004),
                ],
                model: CoxModelInfo(n: 22, events: 8, concordance: 0.6512, converged: true)),
            reasons: ReasonsSection(
                categories: [
                    ReasonCategoryRow(category: "price", customers: 4, churnedMRR: 150_000),
                    ReasonCategoryRow(category: "other", customers: 2, churnedMRR: 40_000),
                ],
                rows: [
                    ReasonRow(
                        category: "price", reason: "too_expensive", channel: "organic", customers: 3,
                        churnedMRR: 110_000),
                    ReasonRow(
                        category: "other", reason: formulaReason, channel: scriptChannel, customers: 1,
                        churnedMRR: 20_000),
                ]),
            activation: [
                ActivationRow(cohort: "2024-09", channel: "organic", customers: 6, activated: 5, rate: 0.8333),
                ActivationRow(cohort: "2024-09", channel: scriptChannel, customers: 4, activated: 2, rate: 0.5),
                ActivationRow(
                    cohort: "2024-12", channel: "organic", customers: 0, activated: 0, rate: nil, windowOpen: 3),
            ],
            impact: ImpactSection(
                rows: [
                    ImpactRow(
                        dimension: "acquisition_channel", value: scriptChannel, monthlyChurn: 0.0525,
                        overallMonthlyChurn: 0.0312, mrrKeptPerYear: 96_000)
                ],
                oneChurnPointPerYear: 51_000),
            dataQuality: DataQualitySection(
                sources: [
                    SourceQuality(source: "customers", read: 23, accepted: 22, rejected: 1, duplicates: 0),
                    SourceQuality(source: "subscriptions", read: 30, accepted: 29, rejected: 0, duplicates: 1),
                ],
                rejectReasons: [
                    RejectReasonRow(
                        source: "customers", reason: "duplicate customer_id with conflicting values", count: 1,
                        exampleLine: "c-17,2024-09-03,<b>partner</b>|x")
                ],
                orphans: [OrphanCount(source: "subscriptions", count: 2)],
                zeroMRRSubscriptions: 3),
            provenance: Provenance(
                asOf: "2024-12-31",
                configSHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                inputs: [
                    InputDigest(
                        path: "data/raw/customers.csv", bytes: 1_234,
                        sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                ],
                toolVersion: "0.1.0",
                runTimestamp: "2025-01-01T00:00:00Z"))
    }
}
