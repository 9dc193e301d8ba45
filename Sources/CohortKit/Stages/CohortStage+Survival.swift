extension CohortStage {
    /// Writes survival.jsonl (`ChannelSurvival`) for the converted customers; returns the `(all)`
    /// restricted mean lifetime in days for the KPIs, and logrank.json's object.
    static func writeSurvival(
        to w: JSONLWriter, cfg: PipelineConfig, table: CustomerTable, order: [Int], ranking: ChannelRanking
    ) throws -> (restrictedMeanDays: Double?, logRank: JSONValue) {
        let rows = SurvivalRows(table: table)
        let survival = ChannelSurvival(
            durations: rows.durations, events: rows.events, channels: rows.who.map { table.channel[$0] },
            channelNames: table.channels.names,
            ranking: ranking)
        let restrictedMeanDays = try survival.curves(
            order: order, maxOffset: cfg.maxOffsetMonths, confidence: cfg.confidence
        ) { try w.write($0) }
        return (restrictedMeanDays, try survival.logRank(order: order).json)
    }
}
