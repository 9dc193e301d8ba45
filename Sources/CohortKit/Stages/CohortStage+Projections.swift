extension CohortStage {
    /// Writes projections.jsonl, drift.jsonl and backtest.jsonl (`CohortProjections`); returns the
    /// `(all)` triangle's pooled links, which the projected KPIs carry the base through.
    static func writeProjections(
        _ run: StageRun, triangle: TriangleAccumulator, channelNames: [String], order: [Int], lastMonth: Month
    ) throws -> RetentionProjection.Links {
        let cfg = run.config
        let projections = CohortProjections(triangle: triangle, channelNames: channelNames, order: order)
        let w = try run.writer(ProjectionRecord.output)
        try projections.projections(confidence: cfg.confidence) { try w.write($0) }
        let d = try run.writer(DriftRecord.output)
        try projections.drift(lastMonth: lastMonth, confidence: cfg.driftConfidence) { try d.write($0) }
        let b = try run.writer(BacktestRecord.output)
        for row in projections.backtest(lastMonth: lastMonth, months: cfg.backtestMonths, confidence: cfg.confidence) {
            try b.write(row)
        }
        return projections.allLinks
    }
}
