/// One row of cohort's backtest.jsonl: how the projections made `horizon_months` before fared
/// against what was then observed, or the total (horizon 0) (docs/metrics.md#backtest).
public struct BacktestRecord: JSONLRecord, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "backtest"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let horizonMonths: StaticString = "horizon_months"
        static let cells: StaticString = "cells"
        static let logoMAEPoints: StaticString = "logo_mae_points"
        static let logoCoverage: StaticString = "logo_coverage"
        static let revenueCells: StaticString = "revenue_cells"
        static let revenueMAEPoints: StaticString = "revenue_mae_points"
        static let revenueCoverage: StaticString = "revenue_coverage"
    }

    public var horizonMonths: Int
    public var cells: Int
    public var logoMAEPoints: Double?, logoCoverage: Double?
    public var revenueCells: Int
    public var revenueMAEPoints: Double?, revenueCoverage: Double?

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.field(Key.horizonMonths, horizonMonths)
        line.field(Key.cells, cells)
        line.field(Key.logoMAEPoints, logoMAEPoints)
        line.field(Key.logoCoverage, logoCoverage)
        line.field(Key.revenueCells, revenueCells)
        line.field(Key.revenueMAEPoints, revenueMAEPoints)
        line.field(Key.revenueCoverage, revenueCoverage)
    }

}

extension BacktestRecord {
    /// Reads the current line of `r` (missing counts 0, missing errors and coverages nil).
    public init(reading r: JSONLReader) {
        horizonMonths = r.count(Key.horizonMonths)
        cells = r.count(Key.cells)
        logoMAEPoints = r.double(Key.logoMAEPoints)
        logoCoverage = r.double(Key.logoCoverage)
        revenueCells = r.count(Key.revenueCells)
        revenueMAEPoints = r.double(Key.revenueMAEPoints)
        revenueCoverage = r.double(Key.revenueCoverage)
    }
}
