/// Revenue impact of churn-attribution (docs/metrics.md#revenue-impact): per segment, the MRR a
/// year kept if its monthly churn equalled the overall rate, `(rate - overall) × segment MRR at
/// as_of × 12` (negative when the segment already churns less); and for `(all)`, what one point of
/// monthly churn is worth a year, `0.01 × MRR × 12`.
public enum RevenueImpact {
    /// The rows of impact.jsonl: the `(all)` row, then per dimension a row per level. Per table
    /// customer i: `monthlyBase[i]` months of the trailing 12 that started with MRR,
    /// `monthlyChurned[i]` of them that ended without, `mrrAtAsOf[i]`.
    public static func rows(
        monthlyBase: [Int32], monthlyChurned: [Int32], mrrAtAsOf: [Int64], dims: [AttributionDimension]
    ) throws -> [ImpactRecord] {
        var base = 0
        var churned = 0
        var mrr: Int64 = 0
        for i in mrrAtAsOf.indices {
            base += Int(monthlyBase[i])
            churned += Int(monthlyChurned[i])
            mrr = try CheckedMinor.sum(mrr, mrrAtAsOf[i], "impact's mrr_minor (all customers)")
        }
        let overall: Double? = base == 0 ? nil : Double(churned) / Double(base)
        var out = [
            ImpactRecord(
                dimension: "(all)", value: "(all)", monthlyChurn: overall, overallMonthlyChurn: overall, mrrMinor: mrr,
                mrrKeptPerYearMinor: try CheckedMinor.rounded(
                    Double(mrr) * 0.01 * 12, "impact's mrr_kept_per_year_minor"))
        ]
        for d in dims {
            var b = [Int](repeating: 0, count: d.levels.count)
            var c = b
            var m = [Int64](repeating: 0, count: d.levels.count)
            for i in mrrAtAsOf.indices where d.level[i] >= 0 {
                let l = Int(d.level[i])
                b[l] += Int(monthlyBase[i])
                c[l] += Int(monthlyChurned[i])
                m[l] = try CheckedMinor.sum(m[l], mrrAtAsOf[i], "impact's mrr_minor for \(d.name) = \(d.levels[l])")
            }
            for (l, value) in d.levels.enumerated() {
                let rate: Double? = b[l] == 0 ? nil : Double(c[l]) / Double(b[l])
                var kept: Int64? = nil
                if let rate, let overall {
                    kept = try CheckedMinor.rounded(
                        (rate - overall) * Double(m[l]) * 12,
                        "impact's mrr_kept_per_year_minor for \(d.name) = \(value)")
                }
                out.append(
                    ImpactRecord(
                        dimension: d.name, value: value, monthlyChurn: rate, overallMonthlyChurn: overall,
                        mrrMinor: m[l], mrrKeptPerYearMinor: kept))
            }
        }
        return out
    }
}
