/// The effects deliberately built into the generated sample, so tests and readers can check that
/// the pipeline recovers them (docs/generator.md explains each one).
///
/// Churn is drawn per customer from a piecewise-exponential hazard:
/// `h(t) = base(t) * plan * activation * (paid_social and t < 90 days ? 3 : 1)` per month, where
/// `base(t)` is `baseMonthlyHazardEarly` for the first `earlyPeriodDays` days and
/// `baseMonthlyHazardLate` after. The decision day then ends the subscription at the next billing
/// boundary (monthly billing: next month boundary; quarterly / annual: end of the current term).
public enum PlantedEffects {
    /// Acquisition channels, in output order.
    public static let channels = ["organic_search", "paid_search", "paid_social", "partner", "outbound_sales"]
    /// Share of new customers from each channel (same order as `channels`).
    public static let channelWeights = [0.30, 0.22, 0.20, 0.13, 0.15]

    /// Core plans from cheapest to dearest.
    public static let plans = ["starter", "growth", "pro", "enterprise"]
    /// First-plan mix for every channel except `partner` (same order as `plans`).
    public static let defaultPlanMix = [0.40, 0.30, 0.20, 0.10]
    /// First-plan mix for `partner`: mostly enterprise, which is why partner looks good before adjustment.
    public static let partnerPlanMix = [0.05, 0.10, 0.20, 0.65]

    /// Monthly churn hazard of the reference customer (growth plan, not activated) in its first
    /// `earlyPeriodDays` days.
    public static let baseMonthlyHazardEarly = 0.030
    /// Monthly churn hazard of the reference customer after the early period.
    public static let baseMonthlyHazardLate = 0.018
    /// Length of the early (onboarding) period, matching `attribution.early_churn_days`.
    public static let earlyPeriodDays = 90

    /// Hazard multiplier of `paid_social` during the early period (1 after it).
    public static let paidSocialEarlyHazardMultiplier = 3.0
    /// Hazard multiplier of `partner`: none, its low churn comes only from its plan mix.
    public static let partnerHazardMultiplier = 1.0
    /// Hazard multiplier per first plan (same order as `plans`); `growth` is the reference.
    public static let planHazardMultipliers = [1.8, 1.0, 0.8, 0.35]
    /// Hazard multiplier for customers who create a report within `activationWindowDays`.
    public static let activatedHazardMultiplier = 0.5
    /// Share of converted customers who create a report within the activation window.
    public static let activationProbability = 0.6
    /// The key event and its window, matching `attribution.activation`.
    public static let activationEvent = "report_created"
    public static let activationWindowDays = 30
    /// Share of non-activated customers who create their first report late (days 35 to 59), so
    /// the 30-day window, not the event itself, separates the groups.
    public static let lateFirstReportProbability = 0.35
    /// Share of activated customers who keep creating reports: one in their second 30-day month,
    /// and with `thirdMonthReportProbability` one in their third (adoption: the key event in two
    /// of the first three months).
    public static let adoptionProbability = 0.7
    public static let thirdMonthReportProbability = 0.6

    /// Share of signups that never start a subscription.
    public static let neverConvertedProbability = 0.03
    /// Probability that a churned customer comes back 60 to 240 days later.
    public static let reactivationProbability = 0.10
    /// Probability that a renewal starts 1 to `maxRenewalGapDays` days late (bridged by `grace_days = 7`).
    public static let renewalGapProbability = 0.02
    public static let maxRenewalGapDays = 5

    /// Per-month probabilities of changes at renewal (a term of n months uses n times the rate).
    public static let upgradeMonthlyRate = 0.008
    public static let downgradeMonthlyRate = 0.004
    public static let seatExpansionMonthlyRate = 0.015
    public static let seatContractionMonthlyRate = 0.008
    /// Upgrades at renewals starting in April (Japanese fiscal-year start) are this many times as likely.
    public static let aprilUpgradeMultiplier = 2.0
    /// Monthly probability that a growth / pro / enterprise customer adds the `analytics` product.
    public static let crossSellMonthlyRate = 0.020
    /// Monthly probability that a customer drops `analytics` again.
    public static let addOnDropMonthlyRate = 0.005

    /// List price rise applied to every term starting on or after the price-change day, in percent.
    public static let priceIncreasePercent = 10
    /// The price change takes effect on the first day of generated month number
    /// `months * priceChangeAtFraction` (2024-01-01 for 30 months ending 2024-12).
    public static let priceChangeAtFraction = 0.6
    /// Discount on annual contracts, in percent of twelve monthly prices.
    public static let annualDiscountPercent = 15

    /// Share of customers billed in USD (regions outside Japan); the rest pay in JPY.
    public static let usdCustomerShare = 0.15
    /// Report-currency units per USD, as written to pipeline.json.
    public static let usdRate = 150
}

/// The effects built into the retail shape (`generate-sample --shape retail`), see docs/generator.md.
///
/// Every term lasts one calendar month; at its end the customer churns with probability
/// `termChurnProbability × store multiplier × channel multiplier` (at most 0.95), else renews
/// straight away. A churned customer returns once, 30 to 120 days later, with probability
/// `returnProbability`. About three subscription rows per customer.
public enum RetailEffects {
    /// Acquisition channels, in output order.
    public static let channels = ["web", "app"]
    public static let channelWeights = [0.6, 0.4]
    /// `app` customers churn less per term.
    public static let channelHazardMultipliers = [1.0, 0.8]

    /// The 35 stores (`store_01` ... `store_35`): the `store` attribute and an attribution dimension.
    public static let stores = (1...35).map { $0 < 10 ? "store_0\($0)" : "store_\($0)" }
    /// Store sizes fall off as 1 / (k + 5): the largest store draws about 7 times the smallest.
    public static let storeWeights = (0..<35).map { 1.0 / Double($0 + 5) }
    /// Per-term churn multipliers cycling through five tiers: store_01 0.6, store_02 0.8,
    /// store_03 1.0, store_04 1.25, store_05 1.6, store_06 0.6 again, and so on.
    public static let storeHazardMultipliers = (0..<35).map { [0.6, 0.8, 1.0, 1.25, 1.6][$0 % 5] }

    /// Churn probability at the end of a term for a store multiplier and channel multiplier of 1.
    public static let termChurnProbability = 0.4
    /// Share of churned customers who come back once.
    public static let returnProbability = 0.2
    /// Share of signups that never start a subscription.
    public static let neverConvertedProbability = 0.02
    /// The box's monthly price, in yen.
    public static let monthlyPriceJPY = 3_980
}
