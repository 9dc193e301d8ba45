/// churn-attribution's at_risk_backtest.json: how the accounts the model would have flagged
/// `cohort.backtest_months` earlier fared in the next 90 days (docs/metrics.md#accounts-at-risk).
public struct AtRiskBacktestRecord: JSONObjectRecord, Equatable, RecordCodedByHand, Sendable {
    /// The output this record is, and its schema version (StageDescription uses both).
    public static let output = "at_risk_backtest"
    public static let schemaVersion = 1

    /// The outcome of a backtest that ran; its members follow `months` in the file.
    public struct Scored: Codable, Equatable, Sendable {
        /// The earlier date the accounts were scored at.
        public var asOf: Day
        public var horizonDays: Int
        public var accounts: Int
        public var accountsChurned: Int
        public var baseChurnRate: Double?
        public var topDecileAccounts: Int
        public var topDecileChurned: Int
        public var topDecileChurnRate: Double?
        public var lift: Double?
    }

    /// `cohort.backtest_months`; 0 when there is no backtest.
    public var months: Int
    /// Nil when there is no backtest, the earlier fit did not converge or the 90 days are not over
    /// (the file then holds `months` only, 0).
    public var scored: Scored?

    /// The record of no backtest: `{"months": 0}`.
    public static let none = AtRiskBacktestRecord(months: 0, scored: nil)

    /// `months`, and the two members that say whether a scored backtest follows.
    private enum CodingKeys: CodingKey { case months, accounts, asOf }
}

extension AtRiskBacktestRecord {
    /// Writes `months` and the scored members, or `months` 0 alone when nothing was scored.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scored == nil ? 0 : months, forKey: .months)
        try scored?.encode(to: encoder)
    }

    /// Reads `scored` only when `accounts` and a valid `as_of` are there (other missing counts as 0).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let scored =
            try c.decodeIfPresent(Int.self, forKey: .accounts) != nil
            && c.decodeIfPresent(Day.self, forKey: .asOf) != nil
        self.init(months: try c.decode(Int.self, forKey: .months), scored: scored ? try Scored(from: decoder) : nil)
    }
}
