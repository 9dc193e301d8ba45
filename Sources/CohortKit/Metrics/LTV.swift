/// Customer lifetime value two ways, from ARPA (docs/metrics.md#headline-kpis, "LTV both ways").
///
/// Example: ARPA 12,000 and monthly logo churn 2%: churn-based LTV 12,000 / 0.02 = 600,000. A
/// restricted mean lifetime of 700 days is 700 / 30.4375 = 22.998 months: survival-based LTV
/// 12,000 × 22.998 = 275,975.
public enum LTV {
    /// Days in an average month (365.25 / 12): restricted mean days to months.
    public static let daysPerMonth = 30.4375

    /// ARPA: MRR over the active customers (unrounded minor units); nil with no active customer.
    public static func arpa(mrrMinor: Int64, activeCustomers: Int) -> Double? {
        activeCustomers == 0 ? nil : Double(mrrMinor) / Double(activeCustomers)
    }

    /// `arpa / monthlyChurn`: the steady-state value if today's churn held for ever; nil when
    /// either is nil or the churn is 0 (the lifetime would be infinite).
    public static func churnBased(arpa: Double?, monthlyChurn: Double?) -> Double? {
        guard let arpa, let monthlyChurn, monthlyChurn > 0 else { return nil }
        return arpa / monthlyChurn
    }

    /// The restricted mean lifetime in months (days / `daysPerMonth`); nil when there is none.
    public static func lifetimeMonths(restrictedMeanDays: Double?) -> Double? {
        restrictedMeanDays.map { $0 / daysPerMonth }
    }

    /// An amount in whole minor units, as kpis.json writes ARPA and the LTVs: rounded halves away
    /// from zero, after the unrounded ARPA went into the LTVs; nil for nil, or for an amount past
    /// the 64-bit range (an LTV over a monthly churn of nearly 0).
    public static func wholeMinor(_ v: Double?) -> Int64? {
        guard let r = v?.rounded(.toNearestOrAwayFromZero), r.isFinite, r.magnitude < 0x1p63 else { return nil }
        return Int64(r)
    }

    /// `arpa × lifetimeMonths`: counts only lifetime observed, so it errs low; nil when either is nil.
    public static func survivalBased(arpa: Double?, lifetimeMonths: Double?) -> Double? {
        guard let arpa, let lifetimeMonths else { return nil }
        return arpa * lifetimeMonths
    }
}
