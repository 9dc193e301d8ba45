extension CohortStage {
    struct SurvivalSummary { var restrictedMeanDays: Double? }

    /// Kaplan–Meier per channel, `(all)` and `(other)` (the channels `ranking` pools) at the month
    /// marks, medians, and the log-rank test across channels (docs/metrics.md#survival, #log-rank-test).
    ///
    /// The log-rank compares the channels that keep their own rows, with the pooled ones as one
    /// `(other)` group: k groups cost O(T·k²) (T distinct durations), so thousands of channels
    /// would cost billions of operations for a test nobody can read.
    ///
    /// - Complexity: O(n + G · max_offset_months) for n converted customers and G channels (the
    ///   customers are bucketed by channel once), plus the log-rank's O(n + T·k²), k <= limit + 1.
    static func writeSurvival(_ run: StageRun, table: CustomerTable, order: [Int], ranking: ChannelRanking) throws
        -> SurvivalSummary
    {
        let cfg = run.config
        let G = table.channels.count
        var durations: [Int32] = []
        var events: [Bool] = []
        var groups: [Int32] = []
        // Rows of each channel, and of (other), as index lists into the arrays above.
        var members = [[Int]](repeating: [], count: G + 1)
        for i in 0..<table.count where table.converted(i) {
            let g = Int(table.channel[i])
            members[g].append(durations.count)
            if ranking.pooled[g] { members[G].append(durations.count) }
            durations.append(table.duration[i])
            events.append(table.churned[i])
            groups.append(table.channel[i])
        }
        let w = try run.writer("survival")
        var summary = SurvivalSummary(restrictedMeanDays: nil)
        // -1 is (all), G is (other).
        for g in [-1] + order + (ranking.hasPooled ? [G] : []) {
            let name = g < 0 ? "(all)" : g == G ? ChannelRanking.otherName : table.channels.names[g]
            var d = durations
            var e = events
            if g >= 0 {
                d = members[g].map { durations[$0] }
                e = members[g].map { events[$0] }
            }
            guard !d.isEmpty else { continue }
            let km = KaplanMeier(durations: d, events: e)
            for k in 1...cfg.maxOffsetMonths {
                let t = KaplanMeier.monthMarkDay(k)
                let ci = km.confidenceInterval(atDay: t, confidence: cfg.confidence)
                w.begin()
                w.line.key("row")
                w.line.string("mark")
                w.line.key("channel")
                w.line.string(name)
                w.line.key("month_mark")
                w.line.int(k)
                w.line.key("day")
                w.line.int(t)
                w.line.key("at_risk")
                w.line.int(km.atRisk(atDay: t))
                w.line.key("events")
                w.line.int(km.cumulativeEvents(throughDay: t))
                w.line.key("survival")
                w.line.double(km.survival(atDay: t))
                w.line.key("ci_lower")
                w.line.double(ci?.lower)
                w.line.key("ci_upper")
                w.line.double(ci?.upper)
                try w.end()
            }
            let churned = e.reduce(0) { $0 + ($1 ? 1 : 0) }
            w.begin()
            w.line.key("row")
            w.line.string("median")
            w.line.key("channel")
            w.line.string(name)
            w.line.key("median_days")
            w.line.int(km.medianDays)
            w.line.key("customers")
            w.line.int(d.count)
            w.line.key("churned")
            w.line.int(churned)
            try w.end()
            if g < 0, let longest = d.max() {
                summary.restrictedMeanDays = km.restrictedMeanDays(upToDay: Int(longest))
            }
        }
        // Log-rank groups: the kept channels (numbered in channel-id order, as the test has always
        // seen them), then (other); listed by name (those with customers), then (other).
        var slot = [Int32](repeating: -1, count: G)
        var kept: Int32 = 0
        for g in 0..<G where !ranking.pooled[g] && !members[g].isEmpty {
            slot[g] = kept
            kept += 1
        }
        for g in 0..<G where ranking.pooled[g] { slot[g] = kept }
        var groupNames: [JSONValue] = order.filter { !ranking.pooled[$0] && !members[$0].isEmpty }.map {
            .string(table.channels.names[$0])
        }
        if ranking.hasPooled { groupNames.append(.string(ChannelRanking.otherName)) }
        let lr = LogRank.test(
            durations: durations, events: events, groups: groups.map { slot[Int($0)] }, groupCount: groupNames.count)
        let statistic: JSONValue = lr.statistic.map { JSONValue.number($0.description) } ?? JSONValue.null
        let pValue: JSONValue = lr.pValue.map { JSONValue.number($0.description) } ?? JSONValue.null
        let fields: [(String, JSONValue)] = [
            ("groups", .array(groupNames)),
            ("statistic", statistic),
            ("df", .number(String(lr.df))),
            ("p_value", pValue),
            ("pooled_channels", .number(String(ranking.pooledCount))),
        ]
        run.writeJSON("logrank", .object(fields))
        return summary
    }
}
