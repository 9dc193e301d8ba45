/// cohort's kpis.json: the headline metrics at `as_of` (docs/metrics.md#headline-kpis).
///
/// The metrics' ids in `MetricCatalog` are these keys (`KPIsRecord.Key`), so a renamed key renames
/// the metric everywhere it is checked, banded and named.
public struct KPIsRecord: Equatable, Sendable {
    /// The output this record is, and its schema version (StageDescription uses both).
    public static let output = "kpis"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    public enum Key {
        public static let asOf = "as_of"
        public static let lastMonth = "last_month"
        public static let currency = "currency"
        public static let minorUnits = "minor_units"
        public static let activeCustomers = "active_customers"
        public static let mrrMinor = "mrr_minor"
        public static let arpaMinor = "arpa_minor"
        public static let nrrTrailing12m = "nrr_trailing_12m"
        public static let grrTrailing12m = "grr_trailing_12m"
        public static let logoChurnTrailing12m = "logo_churn_trailing_12m"
        public static let upsellRateTrailing12m = "upsell_rate_trailing_12m"
        public static let crossSellRateTrailing12m = "cross_sell_rate_trailing_12m"
        public static let trailing12mBaseCustomers = "trailing_12m_base_customers"
        public static let logoChurnMonthly = "logo_churn_monthly"
        public static let logoChurnMonthlyMonths = "logo_churn_monthly_months"
        public static let logoChurnAnnual = "logo_churn_annual"
        public static let ltvChurnMinor = "ltv_churn_minor"
        public static let restrictedMeanLifetimeMonths = "restricted_mean_lifetime_months"
        public static let ltvSurvivalMinor = "ltv_survival_minor"
        public static let projectedLogoChurn12m = "projected_logo_churn_12m"
        public static let projectedNRR12m = "projected_nrr_12m"
    }

    public var asOf: String
    public var lastMonth: String
    public var currency: String
    public var minorUnits: Int
    public var activeCustomers: Int
    public var mrrMinor: Int64
    public var arpaMinor: Double?
    public var nrrTrailing12m: Double?
    public var grrTrailing12m: Double?
    public var logoChurnTrailing12m: Double?
    public var upsellRateTrailing12m: Double?
    public var crossSellRateTrailing12m: Double?
    public var trailing12mBaseCustomers: Int
    public var logoChurnMonthly: Double?
    public var logoChurnMonthlyMonths: Int
    public var logoChurnAnnual: Double?
    public var ltvChurnMinor: Double?
    public var restrictedMeanLifetimeMonths: Double?
    public var ltvSurvivalMinor: Double?
    public var projectedLogoChurn12m: Double?
    public var projectedNRR12m: Double?

    /// The object as written: integers as integers, ratios and amounts as the stage outputs write
    /// numbers (`JSONLineBuilder.double`), null when undefined.
    public var json: JSONValue {
        func num(_ d: Double?) -> JSONValue { .number(formatting: d) }
        func int<I: BinaryInteger>(_ i: I) -> JSONValue { .number(String(i)) }
        return .object([
            (Key.asOf, .string(asOf)),
            (Key.lastMonth, .string(lastMonth)),
            (Key.currency, .string(currency)),
            (Key.minorUnits, int(minorUnits)),
            (Key.activeCustomers, int(activeCustomers)),
            (Key.mrrMinor, int(mrrMinor)),
            (Key.arpaMinor, num(arpaMinor)),
            (Key.nrrTrailing12m, num(nrrTrailing12m)),
            (Key.grrTrailing12m, num(grrTrailing12m)),
            (Key.logoChurnTrailing12m, num(logoChurnTrailing12m)),
            (Key.upsellRateTrailing12m, num(upsellRateTrailing12m)),
            (Key.crossSellRateTrailing12m, num(crossSellRateTrailing12m)),
            (Key.trailing12mBaseCustomers, int(trailing12mBaseCustomers)),
            (Key.logoChurnMonthly, num(logoChurnMonthly)),
            (Key.logoChurnMonthlyMonths, int(logoChurnMonthlyMonths)),
            (Key.logoChurnAnnual, num(logoChurnAnnual)),
            (Key.ltvChurnMinor, num(ltvChurnMinor)),
            (Key.restrictedMeanLifetimeMonths, num(restrictedMeanLifetimeMonths)),
            (Key.ltvSurvivalMinor, num(ltvSurvivalMinor)),
            (Key.projectedLogoChurn12m, num(projectedLogoChurn12m)),
            (Key.projectedNRR12m, num(projectedNRR12m)),
        ])
    }

}

extension KPIsRecord {
    /// Reads the object (missing text "", missing counts and MRR 0, missing ratios and amounts nil).
    public init(json: JSONValue) {
        asOf = json[Key.asOf]?.stringValue ?? ""
        lastMonth = json[Key.lastMonth]?.stringValue ?? ""
        currency = json[Key.currency]?.stringValue ?? ""
        minorUnits = json[Key.minorUnits]?.intValue ?? 0
        activeCustomers = json[Key.activeCustomers]?.intValue ?? 0
        mrrMinor = Int64(json[Key.mrrMinor]?.intValue ?? 0)
        arpaMinor = json[Key.arpaMinor]?.doubleValue
        nrrTrailing12m = json[Key.nrrTrailing12m]?.doubleValue
        grrTrailing12m = json[Key.grrTrailing12m]?.doubleValue
        logoChurnTrailing12m = json[Key.logoChurnTrailing12m]?.doubleValue
        upsellRateTrailing12m = json[Key.upsellRateTrailing12m]?.doubleValue
        crossSellRateTrailing12m = json[Key.crossSellRateTrailing12m]?.doubleValue
        trailing12mBaseCustomers = json[Key.trailing12mBaseCustomers]?.intValue ?? 0
        logoChurnMonthly = json[Key.logoChurnMonthly]?.doubleValue
        logoChurnMonthlyMonths = json[Key.logoChurnMonthlyMonths]?.intValue ?? 0
        logoChurnAnnual = json[Key.logoChurnAnnual]?.doubleValue
        ltvChurnMinor = json[Key.ltvChurnMinor]?.doubleValue
        restrictedMeanLifetimeMonths = json[Key.restrictedMeanLifetimeMonths]?.doubleValue
        ltvSurvivalMinor = json[Key.ltvSurvivalMinor]?.doubleValue
        projectedLogoChurn12m = json[Key.projectedLogoChurn12m]?.doubleValue
        projectedNRR12m = json[Key.projectedNRR12m]?.doubleValue
    }

    /// The value of the numeric member `key` (a metric id of `MetricCatalog`), nil when absent or null.
    public func number(_ key: String) -> Double? { json[key]?.doubleValue }
}
