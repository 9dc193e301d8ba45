extension CohortStage {
    /// `projections.jsonl` (every channel, `(all)` first), `drift.jsonl` (cohorts below their
    /// predecessors' band) and `backtest.jsonl` (the `(all)` triangle, `cohort.backtest_months` back).
    /// Returns the `(all)` triangle's pooled links, which the projected KPIs carry the base through.
    static func writeProjections(
        _ run: StageRun, triangle: TriangleAccumulator, channelNames: [String], order: [Int], lastMonth: Month
    ) throws -> RetentionProjection.Links {
        let cfg = run.config
        let w = try run.writer("projections")
        let all = triangle.channels
        // Each group's curves and links, read from the triangle once.
        let groups = [all] + order
        let curves = groups.map { triangle.curves(channel: $0) }
        let links = curves.map { RetentionProjection.links($0, maxOffset: cfg.maxOffsetMonths) }
        for (n, g) in groups.enumerated() {
            let name = g == all ? "(all)" : channelNames[g]
            for cell in RetentionProjection.project(
                curves[n], links: links[n], maxOffset: cfg.maxOffsetMonths, confidence: cfg.confidence)
            {
                w.begin()
                w.line.key("cohort")
                w.line.string(cell.cohort.description)
                w.line.key("channel")
                w.line.string(name)
                w.line.key("offset")
                w.line.int(cell.offset)
                w.line.key("logo_retention")
                w.line.double(cell.logo)
                w.line.key("logo_lower")
                w.line.double(cell.logoLower)
                w.line.key("logo_upper")
                w.line.double(cell.logoUpper)
                w.line.key("revenue_retention")
                w.line.double(cell.revenue)
                w.line.key("revenue_lower")
                w.line.double(cell.revenueLower)
                w.line.key("revenue_upper")
                w.line.double(cell.revenueUpper)
                w.line.key("method")
                w.line.string(cell.method.rawValue)
                try w.end()
            }
        }
        let d = try run.writer("drift")
        let checks = curves.reduce(0) { $0 + CohortDrift.checks($1, lastMonth: lastMonth) }
        for (n, g) in groups.enumerated() {
            let name = g == all ? "(all)" : channelNames[g]
            for a in CohortDrift.alerts(
                curves[n], lastMonth: lastMonth, confidence: cfg.driftConfidence, checks: checks)
            {
                d.begin()
                d.line.key("cohort")
                d.line.string(a.cohort.description)
                d.line.key("channel")
                d.line.string(name)
                d.line.key("offset")
                d.line.int(a.offset)
                d.line.key("logo_retention")
                d.line.double(a.logo)
                d.line.key("band_lower")
                d.line.double(a.bandLower)
                d.line.key("predecessors_retention")
                d.line.double(a.predecessorsRetention)
                d.line.key("predecessors")
                d.line.int(a.predecessors)
                try d.end()
            }
        }
        let b = try run.writer("backtest")
        let horizons = RetentionBacktest.run(
            curves[0], lastMonth: lastMonth, months: cfg.backtestMonths,
            maxOffset: cfg.maxOffsetMonths, confidence: cfg.confidence)
        for h in horizons {
            b.begin()
            b.line.key("horizon_months")
            b.line.int(h.horizon)
            b.line.key("cells")
            b.line.int(h.cells)
            b.line.key("logo_mae_points")
            b.line.double(h.logoMAEPoints)
            b.line.key("logo_coverage")
            b.line.double(h.logoCoverage)
            b.line.key("revenue_cells")
            b.line.int(h.revenueCells)
            b.line.key("revenue_mae_points")
            b.line.double(h.revenueMAEPoints)
            b.line.key("revenue_coverage")
            b.line.double(h.revenueCoverage)
            try b.end()
        }
        return links[0]
    }
}
