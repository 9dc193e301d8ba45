/// cohort's logrank.json: the log-rank test across the channels that keep their own rows, with the
/// pooled ones as one `(other)` group (docs/metrics.md#log-rank-test).
public struct LogRankRecord: JSONObjectRecord, Equatable, Sendable {
    /// The output this record is, and its schema version (StageDescription uses both).
    public static let output = "logrank"
    public static let schemaVersion = 1

    /// The groups' names, in output order (`(other)` last when channels are pooled).
    public var groups: [String]
    /// Chi-square statistic; nil with fewer than two non-empty groups.
    public var statistic: Double?
    public var df: Int
    public var pValue: Double?
    /// How many channels `(other)` pools.
    public var pooledChannels: Int
}
