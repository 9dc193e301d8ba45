/// Projections, drift alerts and the backtest of one triangle: what cohort writes to
/// projections.jsonl (every channel, `(all)` first), drift.jsonl (cohorts below their
/// predecessors' band) and backtest.jsonl (the `(all)` triangle, `cohort.backtest_months` back)
/// (docs/metrics.md#projected-retention, #drift-alerts, #backtest).
///
/// Each group's curves and links are read from the triangle once, at init.
public struct CohortProjections {
    /// `(all)` (the triangle's `channels` slot) first, then the channel slots in output order.
    let groups: [Int]
    let names: [String]
    let curves: [[RetentionProjection.Curve]]
    /// Each group's pooled month-to-month links, `(all)` first.
    public let links: [RetentionProjection.Links]
    let maxOffset: Int

    /// The groups `(all)` and `order` (channel slots of `triangle`, named by `channelNames`).
    public init(triangle: TriangleAccumulator, channelNames: [String], order: [Int]) {
        let all = triangle.channels
        groups = [all] + order
        names = groups.map { $0 == all ? "(all)" : channelNames[$0] }
        maxOffset = triangle.maxOffset
        curves = groups.map { triangle.curves(channel: $0) }
        links = curves.map { RetentionProjection.links($0, maxOffset: triangle.maxOffset) }
    }

    /// The `(all)` triangle's pooled links, which the projected KPIs carry today's base through.
    public var allLinks: RetentionProjection.Links { links[0] }

    /// Emits every group's projected cells, `(all)` first.
    public func projections(confidence: Double, emit: (ProjectionRecord) throws -> Void) rethrows {
        for n in groups.indices {
            for cell in RetentionProjection.project(
                curves[n], links: links[n], maxOffset: maxOffset, confidence: confidence)
            {
                try emit(
                    ProjectionRecord(
                        cohort: cell.cohort.description, channel: names[n], offset: cell.offset,
                        logoRetention: cell.logo, logoLower: cell.logoLower, logoUpper: cell.logoUpper,
                        revenueRetention: cell.revenue, revenueLower: cell.revenueLower,
                        revenueUpper: cell.revenueUpper, method: cell.method.rawValue))
            }
        }
    }

    /// Emits every group's drift alerts, `(all)` first; the band widens for the number of checks
    /// made across all groups.
    public func drift(lastMonth: Month, confidence: Double, emit: (DriftRecord) throws -> Void) rethrows {
        let checks = curves.reduce(0) { $0 + CohortDrift.checks($1, lastMonth: lastMonth) }
        for n in groups.indices {
            for a in CohortDrift.alerts(curves[n], lastMonth: lastMonth, confidence: confidence, checks: checks) {
                try emit(
                    DriftRecord(
                        cohort: a.cohort.description, channel: names[n], offset: a.offset, logoRetention: a.logo,
                        bandLower: a.bandLower, predecessorsRetention: a.predecessorsRetention,
                        predecessors: a.predecessors))
            }
        }
    }

    /// The `(all)` triangle's backtest `months` back: one row per horizon, then the total (horizon 0).
    public func backtest(lastMonth: Month, months: Int, confidence: Double) -> [BacktestRecord] {
        RetentionBacktest.run(
            curves[0], lastMonth: lastMonth, months: months, maxOffset: maxOffset, confidence: confidence
        ).map {
            BacktestRecord(
                horizonMonths: $0.horizon, cells: $0.cells, logoMAEPoints: $0.logoMAEPoints,
                logoCoverage: $0.logoCoverage, revenueCells: $0.revenueCells,
                revenueMAEPoints: $0.revenueMAEPoints, revenueCoverage: $0.revenueCoverage)
        }
    }
}
