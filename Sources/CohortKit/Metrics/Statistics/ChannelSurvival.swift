/// Kaplan–Meier per channel, `(all)` and `(other)` at the month marks, medians, and the log-rank
/// test across channels: what cohort writes to survival.jsonl and logrank.json
/// (docs/metrics.md#survival, #log-rank-test).
///
/// The log-rank compares the channels that keep their own rows, with the pooled ones as one
/// `(other)` group: k groups cost O(T·k²) (T distinct durations), so thousands of channels
/// would cost billions of operations for a test nobody can read.
///
/// - Complexity: O(n + G · max_offset_months) for n converted customers and G channels (the
///   customers are bucketed by channel once), plus the log-rank's O(n + T·k²), k <= limit + 1.
public struct ChannelSurvival {
    /// Each converted customer's duration in days, whether it ended in churn, and its channel.
    let durations: [Int32]
    let events: [Bool]
    let groups: [Int32]
    let channelNames: [String]
    let ranking: ChannelRanking
    /// Rows of each channel, and of (other) at index G, as index lists into the arrays above.
    let members: [[Int]]

    /// The customers `durations[i]`, `events[i]` (churned), `channels[i]` (0 ..< channelNames.count).
    public init(
        durations: [Int32], events: [Bool], channels: [Int32], channelNames: [String], ranking: ChannelRanking
    ) {
        let G = channelNames.count
        var members = [[Int]](repeating: [], count: G + 1)
        for (i, c) in channels.enumerated() {
            let g = Int(c)
            members[g].append(i)
            if ranking.pooled[g] { members[G].append(i) }
        }
        self.durations = durations
        self.events = events
        groups = channels
        self.channelNames = channelNames
        self.ranking = ranking
        self.members = members
    }

    /// Emits the survival rows, `(all)` first, then the channels in `order` (those with customers),
    /// then `(other)` when some are pooled: per group a mark row for months 1 ... `maxOffset`, then
    /// its median row. Returns the `(all)` restricted mean up to the longest duration (nil without customers).
    public func curves(
        order: [Int], maxOffset: Int, confidence: Double, emit: (SurvivalRecord) throws -> Void
    ) rethrows -> Double? {
        let G = channelNames.count
        var restrictedMeanDays: Double? = nil
        // -1 is (all), G is (other).
        for g in [-1] + order + (ranking.hasPooled ? [G] : []) {
            let name = g < 0 ? "(all)" : g == G ? ChannelRanking.otherName : channelNames[g]
            var d = durations
            var e = events
            if g >= 0 {
                d = members[g].map { durations[$0] }
                e = members[g].map { events[$0] }
            }
            guard !d.isEmpty else { continue }
            let km = KaplanMeier(durations: d, events: e)
            for k in stride(from: 1, through: maxOffset, by: 1) {
                let t = KaplanMeier.monthMarkDay(k)
                let ci = km.confidenceInterval(atDay: t, confidence: confidence)
                try emit(
                    .mark(
                        SurvivalRecord.Mark(
                            channel: name, monthMark: k, day: t, atRisk: km.atRisk(atDay: t),
                            events: km.cumulativeEvents(throughDay: t), survival: km.survival(atDay: t),
                            ciLower: ci?.lower, ciUpper: ci?.upper)))
            }
            let churned = e.reduce(0) { $0 + ($1 ? 1 : 0) }
            try emit(
                .median(
                    SurvivalRecord.Median(
                        channel: name, medianDays: km.medianDays, customers: d.count, churned: churned)))
            if g < 0, let longest = d.max() {
                restrictedMeanDays = km.restrictedMeanDays(upToDay: Int(longest))
            }
        }
        return restrictedMeanDays
    }

    /// The log-rank test. Groups: the kept channels (numbered in channel-id order, as the test has
    /// always seen them), then (other); listed by name in `order` (those with customers), then (other).
    public func logRank(order: [Int]) -> LogRankRecord {
        let G = channelNames.count
        var slot = [Int32](repeating: -1, count: G)
        var kept: Int32 = 0
        for g in 0..<G where !ranking.pooled[g] && !members[g].isEmpty {
            slot[g] = kept
            kept += 1
        }
        for g in 0..<G where ranking.pooled[g] { slot[g] = kept }
        var names = order.filter { !ranking.pooled[$0] && !members[$0].isEmpty }.map { channelNames[$0] }
        if ranking.hasPooled { names.append(ChannelRanking.otherName) }
        let lr = LogRank.test(
            durations: durations, events: events, groups: groups.map { slot[Int($0)] }, groupCount: names.count)
        return LogRankRecord(
            groups: names, statistic: lr.statistic, df: lr.df, pValue: lr.pValue, pooledChannels: ranking.pooledCount)
    }
}
