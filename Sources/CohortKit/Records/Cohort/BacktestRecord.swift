/// One row of cohort's backtest.jsonl: how the projections made `horizon_months` before fared
/// against what was then observed, or the total (horizon 0) (docs/metrics.md#backtest).
public struct BacktestRecord: JSONLRecord, JSONLReadableRecord, Codable, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "backtest"
    public static let schemaVersion = 1

    public var horizonMonths: Int
    public var cells: Int
    public var logoMAEPoints: Double?, logoCoverage: Double?
    public var revenueCells: Int
    public var revenueMAEPoints: Double?, revenueCoverage: Double?
}
