/// The headline metrics at `as_of` that cohort writes to kpis.json (docs/metrics.md#headline-kpis):
/// the `(all)` trailing-12-month window, monthly and annual logo churn, the paying base, ARPA and
/// both LTVs, and where today's base is headed in 12 months.
public enum HeadlineKPIs {
    /// One customer paying at `as_of`, as the projected KPIs see it.
    public struct PayingCustomer: Equatable, Sendable {
        public var cohort: Month
        public var mrrMinor: Int64
    }

    /// Mean of the `(all)` monthly `logo_churn_rate`s over the last 12 months that have one,
    /// walking back from `lastMonth` and skipping months with an empty base; nil with none.
    /// Returns the mean, how many rates it used and their mean base (rounded down; 0 with none).
    ///
    /// Example: monthly rates 0.02 (of 50), (empty base), 0.04 (of 25) back from `lastMonth`: mean
    /// 0.03 over 2 months, of 37 customers.
    public static func monthlyLogoChurn(_ windows: WindowsAccumulator, lastMonth: Month) -> (
        mean: Double?, months: Int, baseCustomers: Int
    ) {
        guard windows.months > 0, lastMonth >= windows.firstMonth else { return (nil, 0, 0) }
        var rates: [Double] = []
        var bases = 0
        var m = lastMonth
        while rates.count < 12, m >= windows.firstMonth {
            let cell = windows.cell(.month, month: m, channel: windows.channels)
            if let r = cell.logoChurnRate {
                rates.append(r)
                bases += cell.base
            }
            m = m - 1
        }
        guard !rates.isEmpty else { return (nil, 0, 0) }
        return (rates.reduce(0, +) / Double(rates.count), rates.count, bases / rates.count)
    }

    /// `1 - (1 - monthly)^12`: a monthly rate compounded over a year.
    ///
    /// Example: 1% a month is 1 - 0.99^12 = 11.36% a year.
    public static func annualChurn(monthly: Double) -> Double { 1 - pow1m(monthly, 12) }

    /// (1 - x)^n for a small whole n, multiplied out so the result is the same on every platform.
    static func pow1m(_ x: Double, _ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= (1 - x) }
        return r
    }

    /// Customers with MRR above zero at `as_of` and their MRR summed (checked: a total past 64 bits throws).
    public static func payingBase(mrrAtAsOf: [Int64]) throws -> (customers: Int, mrrMinor: Int64) {
        var active = 0
        var mrr: Int64 = 0
        for v in mrrAtAsOf where v > 0 {
            active += 1
            mrr = try CheckedMinor.sum(mrr, v, "the KPIs' mrr_minor (MRR of all customers at as_of)")
        }
        return (active, mrr)
    }

    /// Today's paying customers grouped by cohort, oldest first, with each cohort's age at `lastMonth`
    /// (0 for a cohort after it): the base `RetentionProjection.outlook` carries forward.
    public static func projectionBase(_ paying: [PayingCustomer], lastMonth: Month) throws
        -> [RetentionProjection.BaseCohort]
    {
        var base: [Month: RetentionProjection.BaseCohort] = [:]
        for p in paying {
            let age = max(0, Int(lastMonth.raw - p.cohort.raw))
            var c = base[p.cohort] ?? RetentionProjection.BaseCohort(age: age, customers: 0, mrr: 0)
            c.customers += 1
            c.mrr = try CheckedMinor.sum(c.mrr, p.mrrMinor, "the projected KPIs' MRR by cohort")
            base[p.cohort] = c
        }
        return base.keys.sorted().compactMap { base[$0] }
    }

    /// Every headline metric, as kpis.json holds them.
    ///
    /// - Parameters:
    ///   - mrrAtAsOf: every customer's MRR at `as_of` (0 for those not paying).
    ///   - paying: the converted customers paying at `as_of`, for the 12-month outlook.
    ///   - restrictedMeanDays: the `(all)` Kaplan–Meier restricted mean up to the longest duration.
    ///   - links: the `(all)` triangle's pooled month-to-month links (no outlook without them).
    public static func compute(
        asOf: Day, lastMonth: Month, currency: String, minorUnits: Int, windows: WindowsAccumulator,
        mrrAtAsOf: [Int64], paying: [PayingCustomer], restrictedMeanDays: Double?,
        links: RetentionProjection.Links?
    ) throws -> KPIsRecord {
        let hasMonths = windows.months > 0 && lastMonth >= windows.firstMonth
        let t12 =
            hasMonths
            ? windows.cell(.trailing12m, month: lastMonth, channel: windows.channels) : WindowsAccumulator.Cell()
        let monthly = monthlyLogoChurn(windows, lastMonth: lastMonth)
        let base = try payingBase(mrrAtAsOf: mrrAtAsOf)
        let arpa = LTV.arpa(mrrMinor: base.mrrMinor, activeCustomers: base.customers)
        let lifetime = LTV.lifetimeMonths(restrictedMeanDays: restrictedMeanDays)
        let cohorts = try projectionBase(paying, lastMonth: lastMonth)
        let outlook = links.flatMap { RetentionProjection.outlook(cohorts, links: $0) }
        return KPIsRecord(
            asOf: asOf.description, lastMonth: lastMonth.description, currency: currency, minorUnits: minorUnits,
            activeCustomers: base.customers, mrrMinor: base.mrrMinor, arpaMinor: LTV.wholeMinor(arpa),
            nrrTrailing12m: t12.nrr, grrTrailing12m: t12.grrRate, logoChurnTrailing12m: t12.logoChurnRate,
            upsellRateTrailing12m: t12.upsellRate, crossSellRateTrailing12m: t12.crossSellRate,
            trailing12mBaseCustomers: t12.base,
            logoChurnMonthly: monthly.mean, logoChurnMonthlyMonths: monthly.months,
            logoChurnMonthlyBaseCustomers: monthly.baseCustomers,
            logoChurnAnnual: monthly.mean.map(annualChurn(monthly:)),
            ltvChurnMinor: LTV.wholeMinor(LTV.churnBased(arpa: arpa, monthlyChurn: monthly.mean)),
            restrictedMeanLifetimeMonths: lifetime,
            ltvSurvivalMinor: LTV.wholeMinor(LTV.survivalBased(arpa: arpa, lifetimeMonths: lifetime)),
            projectedLogoChurn12m: outlook.map { 1 - $0.logo }, projectedNRR12m: outlook?.revenue)
    }
}
