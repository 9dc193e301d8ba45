extension CohortStage {
    struct SurvivalSummary { var restrictedMeanDays: Double? }

    /// Kaplan–Meier per channel and `(all)` at the month marks, medians, and the log-rank test
    /// across channels (SPEC §5 "Survival", §5a).
    static func writeSurvival(_ run: StageRun, table: CustomerTable, order: [Int]) throws -> SurvivalSummary {
        let cfg = run.config
        var durations: [Int32] = [], events: [Bool] = [], groups: [Int32] = []
        for i in 0..<table.count where table.converted(i) {
            durations.append(table.duration[i])
            events.append(table.churned[i])
            groups.append(table.channel[i])
        }
        let G = table.channels.count
        let w = try run.writer("survival")
        var summary = SurvivalSummary(restrictedMeanDays: nil)
        for g in [G] + order {
            let name = g == G ? "(all)" : table.channels.names[g]
            var d = durations, e = events
            if g != G {
                d = []; e = []
                for k in 0..<durations.count where groups[k] == Int32(g) { d.append(durations[k]); e.append(events[k]) }
            }
            guard !d.isEmpty else { continue }
            let km = KaplanMeier(durations: d, events: e)
            for k in 1...cfg.maxOffsetMonths {
                let t = KaplanMeier.monthMarkDay(k)
                let ci = km.confidenceInterval(atDay: t, confidence: cfg.confidence)
                w.begin()
                w.line.key("row"); w.line.string("mark")
                w.line.key("channel"); w.line.string(name)
                w.line.key("month_mark"); w.line.int(k)
                w.line.key("day"); w.line.int(t)
                w.line.key("at_risk"); w.line.int(km.atRisk(atDay: t))
                w.line.key("events"); w.line.int(km.cumulativeEvents(throughDay: t))
                w.line.key("survival"); w.line.double(km.survival(atDay: t))
                w.line.key("ci_lower"); w.line.double(ci?.lower)
                w.line.key("ci_upper"); w.line.double(ci?.upper)
                try w.end()
            }
            let churned = e.reduce(0) { $0 + ($1 ? 1 : 0) }
            w.begin()
            w.line.key("row"); w.line.string("median")
            w.line.key("channel"); w.line.string(name)
            w.line.key("median_days"); w.line.int(km.medianDays)
            w.line.key("customers"); w.line.int(d.count)
            w.line.key("churned"); w.line.int(churned)
            try w.end()
            if g == G, let longest = d.max() { summary.restrictedMeanDays = km.restrictedMeanDays(upToDay: Int(longest)) }
        }
        let lr = LogRank.test(durations: durations, events: events, groups: groups, groupCount: G)
        let groupNames: [JSONValue] = order.map { JSONValue.string(table.channels.names[$0]) }
        let statistic: JSONValue = lr.statistic.map { JSONValue.number($0.description) } ?? JSONValue.null
        let pValue: JSONValue = lr.pValue.map { JSONValue.number($0.description) } ?? JSONValue.null
        let fields: [(String, JSONValue)] = [
            ("groups", .array(groupNames)),
            ("statistic", statistic),
            ("df", .number(String(lr.df))),
            ("p_value", pValue),
        ]
        run.writeJSON("logrank", .object(fields))
        return summary
    }
}
