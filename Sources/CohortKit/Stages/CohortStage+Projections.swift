extension CohortStage {
    /// projections.jsonl, drift.jsonl and backtest.jsonl, opened in that order.
    struct ProjectionWriters {
        let projections: JSONLWriter
        let drift: JSONLWriter
        let backtest: JSONLWriter

        init(_ run: StageRun) throws {
            projections = try run.writer(ProjectionRecord.output)
            drift = try run.writer(DriftRecord.output)
            backtest = try run.writer(BacktestRecord.output)
        }
    }

    /// Writes projections.jsonl, drift.jsonl and backtest.jsonl (`CohortProjections`); returns the
    /// `(all)` triangle's pooled links, which the projected KPIs carry the base through.
    static func writeProjections(
        to w: ProjectionWriters, cfg: PipelineConfig, triangle: TriangleAccumulator, channelNames: [String],
        order: [Int], lastMonth: Month
    ) throws -> RetentionProjection.Links {
        let projections = CohortProjections(triangle: triangle, channelNames: channelNames, order: order)
        try projections.projections(confidence: cfg.confidence) { try w.projections.write($0) }
        try projections.drift(lastMonth: lastMonth, confidence: cfg.driftConfidence) { try w.drift.write($0) }
        for row in projections.backtest(lastMonth: lastMonth, months: cfg.backtestMonths, confidence: cfg.confidence) {
            try w.backtest.write(row)
        }
        return projections.allLinks
    }
}
