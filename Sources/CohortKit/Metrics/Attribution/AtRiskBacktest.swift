/// How the accounts the model would have flagged earlier fared (docs/metrics.md#accounts-at-risk):
/// the survival data cut back to an earlier date, the Cox model refitted on what was known then,
/// every customer still in its first stretch at that date scored for the next 90 days, and the top
/// tenth by probability compared with all scored accounts on who then churned in those 90 days.
public struct AtRiskBacktest: Equatable, Sendable {
    /// The earlier date the accounts were scored at.
    public var asOf: Day
    public var accounts: Int
    public var accountsChurned: Int
    public var topDecile: Int
    public var topDecileChurned: Int

    public var baseRate: Double? { accounts > 0 ? Double(accountsChurned) / Double(accounts) : nil }
    public var topDecileRate: Double? { topDecile > 0 ? Double(topDecileChurned) / Double(topDecile) : nil }
    /// Top decile's churn rate over the base rate.
    public var lift: Double? { baseRate.flatMap { b in b > 0 ? topDecileRate.map { $0 / b } : nil } }

    /// The rows known at `cutoff` from rows known at `as_of`: a first churn after the cutoff had
    /// not happened yet (censored there, `cutoff − start + 1` days); customers starting after it
    /// are left out. Returns the positions kept (into `starts`), their durations and events.
    public static func cut(starts: [Int32], durations: [Int32], events: [Bool], cutoff: Day)
        -> (kept: [Int], durations: [Int32], events: [Bool])
    {
        var kept: [Int] = []
        var dd: [Int32] = []
        var ee: [Bool] = []
        for r in starts.indices where starts[r] <= cutoff.raw {
            let churnedBy = events[r] && starts[r] + durations[r] <= cutoff.raw
            kept.append(r)
            dd.append(churnedBy ? durations[r] : cutoff.raw - starts[r] + 1)
            ee.append(churnedBy)
        }
        return (kept, dd, ee)
    }

    /// Counts the outcome: `probability[k]` for each scored row `k`, `churnedNext[k]` whether it
    /// churned within the horizon; the top tenth (at least one) by probability, ties by `ids`.
    public static func tally(asOf: Day, probability: [Double], churnedNext: [Bool], ids: [String]) -> AtRiskBacktest {
        let order = SortedPositions.by(probability.map(SortedPositions.descending)) { ids[$0] < ids[$1] }
        let top = probability.isEmpty ? 0 : max(1, probability.count / 10)
        return AtRiskBacktest(
            asOf: asOf, accounts: probability.count, accountsChurned: churnedNext.filter { $0 }.count,
            topDecile: top, topDecileChurned: order.prefix(top).filter { churnedNext[$0] }.count)
    }

    /// at_risk_backtest.json: the model refitted on `dims` as of `months` before the last
    /// complete month at `asOf`, its top tenth of accounts against all on churn in the next 90
    /// days. `months` 0 when there is no backtest, or when the earlier fit's coefficients are
    /// not usable or the 90 days are not yet over. Row r of `durations`/`events` is customer `who[r]`.
    public static func record(
        months: Int, asOf: Day, table: CustomerTable, dims: [AttributionDimension], durations: [Int32],
        events: [Bool], who: [Int]
    ) -> AtRiskBacktestRecord {
        let cutoff = (Month.lastComplete(asOf: asOf) - months).lastDay
        let horizon = Int32(AccountsAtRisk.horizonDays)
        guard months > 0, cutoff.raw + horizon <= asOf.raw else { return .none }
        let starts = who.map { table.firstStart[$0] }
        let (kept, dd, ee) = cut(starts: starts, durations: durations, events: events, cutoff: cutoff)
        let whoThen = kept.map { who[$0] }
        let fit = CoxDesign.fit(dims: dims, durations: dd, events: ee, who: whoThen)
        guard let beta = fit.usableCoefficients(rows: whoThen.count) else { return .none }
        let hazard = AccountsAtRisk.relativeHazards(
            design: fit.design, columns: fit.columns.count, rowPattern: fit.rowPattern, beta: beta)
        let baseline = fit.baseline(durations: dd, events: ee, patternHazard: hazard)
        var probability: [Double] = []
        var churnedNext: [Bool] = []
        var ids: [String] = []
        for (k, r) in kept.enumerated() where !ee[k] && fit.rowPattern[k] >= 0 {
            let end = starts[r] + durations[r]
            probability.append(
                baseline.churnProbability(
                    survived: Int64(dd[k]), horizon: Int64(horizon), relativeHazard: hazard[Int(fit.rowPattern[k])]))
            churnedNext.append(events[r] && end > cutoff.raw && end <= cutoff.raw + horizon)
            ids.append(table.ids[who[r]])
        }
        let b = tally(asOf: cutoff, probability: probability, churnedNext: churnedNext, ids: ids)
        return AtRiskBacktestRecord(
            months: months,
            scored: .init(
                asOf: b.asOf, horizonDays: Int(horizon), accounts: b.accounts, accountsChurned: b.accountsChurned,
                baseChurnRate: b.baseRate, topDecileAccounts: b.topDecile, topDecileChurned: b.topDecileChurned,
                topDecileChurnRate: b.topDecileRate, lift: b.lift))
    }
}
