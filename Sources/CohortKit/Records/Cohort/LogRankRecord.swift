/// cohort's logrank.json: the log-rank test across the channels that keep their own rows, with the
/// pooled ones as one `(other)` group (docs/metrics.md#log-rank-test).
public struct LogRankRecord: Equatable, Sendable {
    /// The output this record is, and its schema version (StageDescription uses both).
    public static let output = "logrank"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let groups = "groups"
        static let statistic = "statistic"
        static let df = "df"
        static let pValue = "p_value"
        static let pooledChannels = "pooled_channels"
    }

    /// The groups' names, in output order (`(other)` last when channels are pooled).
    public var groups: [String]
    /// Chi-square statistic; nil with fewer than two non-empty groups.
    public var statistic: Double?
    public var df: Int
    public var pValue: Double?
    /// How many channels `(other)` pools.
    public var pooledChannels: Int

    /// The object as written (numbers in Swift's shortest round-trip form).
    public var json: JSONValue {
        .object([
            (Key.groups, .array(groups.map { .string($0) })),
            (Key.statistic, statistic.map { .number($0.description) } ?? .null),
            (Key.df, .number(String(df))),
            (Key.pValue, pValue.map { .number($0.description) } ?? .null),
            (Key.pooledChannels, .number(String(pooledChannels))),
        ])
    }

}

extension LogRankRecord {
    /// Reads the object (missing groups empty, missing counts 0, missing statistics nil).
    public init(json: JSONValue) {
        groups = json[Key.groups]?.arrayValue?.compactMap(\.stringValue) ?? []
        statistic = json[Key.statistic]?.doubleValue
        df = json[Key.df]?.intValue ?? 0
        pValue = json[Key.pValue]?.doubleValue
        pooledChannels = json[Key.pooledChannels]?.intValue ?? 0
    }
}
