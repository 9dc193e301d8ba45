/// Segments of churn-attribution (docs/metrics.md#segments): per dimension value, Kaplan–Meier
/// churn probabilities with confidence intervals, churned MRR and its share, relative risk and the
/// dimension's log-rank test; and two-value log-rank tests between the compared values,
/// Holm-adjusted within the dimension.
public struct Segments {
    /// Days of the early churn probability (`attribution.early_churn_days`).
    public var earlyChurnDays: Int
    /// Level of the confidence intervals (`cohort.confidence`).
    public var confidence: Double
    /// At most this many values per dimension get pairwise tests (`attribution.max_compared_values`).
    public var maxComparedValues: Int

    /// The converted customers (table indices) in survival-row order.
    let who: [Int]
    /// Churned MRR over 12 months per table customer.
    let churnedMRR12m: [Int64]
    /// One sort by duration serves every dimension: each level's counts per distinct duration
    /// come from it, and the curves and tests work on those counts, not on the rows. The rows are
    /// laid out in that order once, so each dimension's passes read memory in sequence.
    let order: [Int]
    let sortedDurations: [Int32]
    let sortedEvents: [Bool]
    /// The rows in that order: 0, 1, 2, …
    let inOrder: [Int]
    /// Churn probability at one year over all converted customers.
    let allP1y: Double
    let totalChurnedMRR: Int64

    /// Prepares the segments of the survival rows `durations`/`events`, row r being customer `who[r]`.
    public init(
        durations: [Int32], events: [Bool], who: [Int], churnedMRR12m: [Int64], earlyChurnDays: Int,
        confidence: Double, maxComparedValues: Int
    ) throws {
        self.earlyChurnDays = earlyChurnDays
        self.confidence = confidence
        self.maxComparedValues = maxComparedValues
        self.who = who
        self.churnedMRR12m = churnedMRR12m
        allP1y = 1 - KaplanMeier(durations: durations, events: events).survival(atDay: 365)
        totalChurnedMRR = try who.reduce(Int64(0)) {
            try CheckedMinor.sum($0, churnedMRR12m[$1], "segments' churned_mrr_12m_minor (all customers)")
        }
        order = DurationTable.order(durations)
        sortedDurations = order.map { durations[$0] }
        sortedEvents = order.map { events[$0] }
        inOrder = Array(0..<order.count)
    }

    /// The segment rows of `d` (one per level with customers, in level order) and its pairwise
    /// tests (pairs of compared levels in level order).
    public func rows(_ d: AttributionDimension) throws -> (segments: [SegmentRecord], pairwise: [PairwiseRecord]) {
        let groups = who.map { d.level[$0] }
        let sortedGroups = order.map { groups[$0] }
        var sizes = [Int](repeating: 0, count: d.levels.count)
        for g in groups where g >= 0 && Int(g) < d.levels.count { sizes[Int(g)] += 1 }
        let compared = Dimensions.comparedLevels(d, sizes: sizes, max: maxComparedValues)
        // The dimension's log-rank over the compared levels, the others as one more group:
        // k groups cost O(T·k²) and a k×k inverse, too much for thousands of values.
        var lrGroups = sortedGroups
        var lrCount = d.levels.count
        if compared.count < d.levels.count {
            var map = [Int32](repeating: Int32(compared.count), count: d.levels.count)
            for (n, l) in compared.enumerated() { map[l] = Int32(n) }
            lrGroups = sortedGroups.map { $0 >= 0 ? map[Int($0)] : -1 }
            lrCount = compared.count + 1
        }
        let lr = LogRank.test(
            order: inOrder, durations: sortedDurations, events: sortedEvents, groups: lrGroups, groupCount: lrCount)
        let tables = LogRank.groupTables(
            order: inOrder, durations: sortedDurations, events: sortedEvents,
            groups: sortedGroups, groupCount: d.levels.count)
        var churnedMRRByLevel = [Int64](repeating: 0, count: d.levels.count)
        for (k, i) in who.enumerated() where groups[k] >= 0 && Int(groups[k]) < d.levels.count {
            let l = Int(groups[k])
            churnedMRRByLevel[l] = try CheckedMinor.sum(
                churnedMRRByLevel[l], churnedMRR12m[i],
                "segments' churned_mrr_12m_minor for \(d.name) = \(d.levels[l])")
        }
        var segments: [SegmentRecord] = []
        for (li, value) in d.levels.enumerated() where !tables[li].days.isEmpty {
            let churnedMRR = churnedMRRByLevel[li]
            let km = KaplanMeier(table: tables[li])
            let early = km.survival(atDay: earlyChurnDays)
            let year = km.survival(atDay: 365)
            let ciE = km.confidenceInterval(atDay: earlyChurnDays, confidence: confidence)
            let ciY = km.confidenceInterval(atDay: 365, confidence: confidence)
            segments.append(
                SegmentRecord(
                    dimension: d.name, value: value, customers: km.customers, churned: km.churned,
                    churnProbEarly: 1 - early, churnProbEarlyLower: ciE.map { 1 - $0.upper },
                    churnProbEarlyUpper: ciE.map { 1 - $0.lower }, churnProb1y: 1 - year,
                    churnProb1yLower: ciY.map { 1 - $0.upper }, churnProb1yUpper: ciY.map { 1 - $0.lower },
                    churnedMRR12mMinor: churnedMRR, churnedMRRShare: ratio(churnedMRR, totalChurnedMRR),
                    relativeRisk: allP1y > 0 ? (1 - year) / allP1y : nil, logrankPValue: lr.pValue,
                    pooled: li == d.pooledLevel))
        }
        // Each pair reads only its two levels' counts.
        var pairs: [(Int, Int, LogRankResult)] = []
        for (ia, a) in compared.enumerated() {
            for b in compared[(ia + 1)...] {
                pairs.append((a, b, LogRank.test(tables[a], tables[b])))
            }
        }
        return (segments, Self.pairwise(d, pairs))
    }

    /// The pairwise rows of `pairs` (levels of `d` and their test), with Holm's adjustment over
    /// the pairs that have a p-value; the others get `p_holm` nil.
    public static func pairwise(_ d: AttributionDimension, _ pairs: [(Int, Int, LogRankResult)]) -> [PairwiseRecord] {
        let adjusted = MultipleTesting.holm(pairs.compactMap { $0.2.pValue })
        var next = 0
        return pairs.map { a, b, r in
            var holm: Double? = nil
            if r.pValue != nil {
                holm = adjusted[next]
                next += 1
            }
            return PairwiseRecord(
                dimension: d.name, a: d.levels[a], b: d.levels[b], statistic: r.statistic, pValue: r.pValue,
                pHolm: holm)
        }
    }
}
