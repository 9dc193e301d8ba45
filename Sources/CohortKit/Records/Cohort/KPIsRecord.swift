/// cohort's kpis.json: the headline metrics at `as_of` (docs/metrics.md#headline-kpis).
///
/// The metrics' ids in `MetricCatalog` are these members' keys (`KPIsRecord.CodingKeys`), so a renamed
/// member renames the metric everywhere it is checked, banded and named.
public struct KPIsRecord: Codable, Equatable, Sendable {
    /// The output this record is, and its schema version (StageDescription uses both).
    public static let output = "kpis"
    /// 2: `arpa_minor`, `ltv_churn_minor` and `ltv_survival_minor` are whole minor units.
    public static let schemaVersion = 2

    /// The members, by name: the metrics' ids in `MetricCatalog` are their keys (`id`).
    public enum CodingKeys: CodingKey {
        case asOf, lastMonth, currency, minorUnits, activeCustomers, mrrMinor, arpaMinor, nrrTrailing12m
        case grrTrailing12m, logoChurnTrailing12m, upsellRateTrailing12m, crossSellRateTrailing12m
        case trailing12mBaseCustomers, logoChurnMonthly, logoChurnMonthlyMonths, logoChurnMonthlyBaseCustomers
        case logoChurnAnnual, ltvChurnMinor
        case restrictedMeanLifetimeMonths, ltvSurvivalMinor, projectedLogoChurn12m, projectedNRR12m

        /// The member's key in kpis.json, which is also its metric's id.
        public var id: String { RecordKey.of(self).name }
    }

    public var asOf: String
    public var lastMonth: String
    public var currency: String
    public var minorUnits: Int
    public var activeCustomers: Int
    public var mrrMinor: Int64
    /// ARPA and the LTVs in whole minor units (`LTV.wholeMinor`), as every `_minor` field is.
    public var arpaMinor: Int64?
    public var nrrTrailing12m: Double?
    public var grrTrailing12m: Double?
    public var logoChurnTrailing12m: Double?
    public var upsellRateTrailing12m: Double?
    public var crossSellRateTrailing12m: Double?
    public var trailing12mBaseCustomers: Int
    public var logoChurnMonthly: Double?
    public var logoChurnMonthlyMonths: Int
    /// The mean base of the monthly rates behind `logoChurnMonthly` (rounded down): how many
    /// customers stand behind it. Absent from a kpis.json written before it was recorded.
    public var logoChurnMonthlyBaseCustomers: Int? = nil
    public var logoChurnAnnual: Double?
    public var ltvChurnMinor: Int64?
    public var restrictedMeanLifetimeMonths: Double?
    public var ltvSurvivalMinor: Int64?
    public var projectedLogoChurn12m: Double?
    public var projectedNRR12m: Double?
}

extension KPIsRecord: JSONObjectRecord {
    /// The value of the numeric member `key` (a metric id of `MetricCatalog`), nil when absent or null.
    public func number(_ key: String) -> Double? { (try? json)?[key]?.doubleValue }
}
