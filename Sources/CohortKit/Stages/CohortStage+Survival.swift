extension CohortStage {
    /// Writes survival.jsonl and logrank.json (`ChannelSurvival`) for the converted customers;
    /// returns the `(all)` restricted mean lifetime in days for the KPIs.
    static func writeSurvival(_ run: StageRun, table: CustomerTable, order: [Int], ranking: ChannelRanking) throws
        -> Double?
    {
        let cfg = run.config
        let rows = SurvivalRows(table: table)
        let survival = ChannelSurvival(
            durations: rows.durations, events: rows.events, channels: rows.who.map { table.channel[$0] },
            channelNames: table.channels.names,
            ranking: ranking)
        let w = try run.writer(SurvivalRecord.output)
        let restrictedMeanDays = try survival.curves(
            order: order, maxOffset: cfg.maxOffsetMonths, confidence: cfg.confidence
        ) { try w.write($0) }
        run.writeJSON(LogRankRecord.output, try survival.logRank(order: order).json)
        return restrictedMeanDays
    }
}
