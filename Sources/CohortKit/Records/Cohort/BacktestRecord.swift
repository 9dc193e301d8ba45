/// One row of cohort's backtest.jsonl: how the projections made `horizon_months` before fared
/// against what was then observed, or the total (horizon 0) (docs/metrics.md#backtest).
public struct BacktestRecord: CohortRowRecord, Equatable, Sendable {
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

    public init(
        horizonMonths: Int, cells: Int, logoMAEPoints: Double?, logoCoverage: Double?, revenueCells: Int,
        revenueMAEPoints: Double?, revenueCoverage: Double?
    ) {
        self.horizonMonths = horizonMonths
        self.cells = cells
        self.logoMAEPoints = logoMAEPoints
        self.logoCoverage = logoCoverage
        self.revenueCells = revenueCells
        self.revenueMAEPoints = revenueMAEPoints
        self.revenueCoverage = revenueCoverage
    }

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        line.key(Key.horizonMonths)
        line.int(horizonMonths)
        line.key(Key.cells)
        line.int(cells)
        line.key(Key.logoMAEPoints)
        line.double(logoMAEPoints)
        line.key(Key.logoCoverage)
        line.double(logoCoverage)
        line.key(Key.revenueCells)
        line.int(revenueCells)
        line.key(Key.revenueMAEPoints)
        line.double(revenueMAEPoints)
        line.key(Key.revenueCoverage)
        line.double(revenueCoverage)
    }

    /// Reads the current line of `r` (missing counts 0, missing errors and coverages nil).
    public init(reading r: JSONLReader) {
        horizonMonths = Int(r.int(Key.horizonMonths) ?? 0)
        cells = Int(r.int(Key.cells) ?? 0)
        logoMAEPoints = r.double(Key.logoMAEPoints)
        logoCoverage = r.double(Key.logoCoverage)
        revenueCells = Int(r.int(Key.revenueCells) ?? 0)
        revenueMAEPoints = r.double(Key.revenueMAEPoints)
        revenueCoverage = r.double(Key.revenueCoverage)
    }
}
