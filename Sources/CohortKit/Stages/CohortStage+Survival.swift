extension CohortStage {
    /// Writes survival.jsonl and logrank.json (`ChannelSurvival`) for the converted customers;
    /// returns the `(all)` restricted mean lifetime in days for the KPIs.
    static func writeSurvival(_ run: StageRun, table: CustomerTable, order: [Int], ranking: ChannelRanking) throws
        -> Double?
    {
        let cfg = run.config
        var durations: [Int32] = []
        var events: [Bool] = []
        var channels: [Int32] = []
        for i in 0..<table.count where table.converted(i) {
            durations.append(table.duration[i])
            events.append(table.churned[i])
            channels.append(table.channel[i])
        }
        let survival = ChannelSurvival(
            durations: durations, events: events, channels: channels, channelNames: table.channels.names,
            ranking: ranking)
        let w = try run.writer(SurvivalRecord.output)
        let restrictedMeanDays = try survival.curves(
            order: order, maxOffset: cfg.maxOffsetMonths, confidence: cfg.confidence
        ) { try $0.append(to: w) }
        run.writeJSON(LogRankRecord.output, survival.logRank(order: order).json)
        return restrictedMeanDays
    }
}
