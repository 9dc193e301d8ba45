/// churn-attribution's at_risk_backtest.json: how the accounts the model would have flagged
/// `cohort.backtest_months` earlier fared in the next 90 days (docs/metrics.md#accounts-at-risk).
public struct AtRiskBacktestRecord: Equatable, Sendable {
    /// The output this record is, and its schema version (StageDescription uses both).
    public static let output = "at_risk_backtest"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let months = "months"
        static let asOf = "as_of"
        static let horizonDays = "horizon_days"
        static let accounts = "accounts"
        static let accountsChurned = "accounts_churned"
        static let baseChurnRate = "base_churn_rate"
        static let topDecileAccounts = "top_decile_accounts"
        static let topDecileChurned = "top_decile_churned"
        static let topDecileChurnRate = "top_decile_churn_rate"
        static let lift = "lift"
    }

    /// The outcome of a backtest that ran.
    public struct Scored: Equatable, Sendable {
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

    /// The file's object, members in the output's key order; ratios written like the stage
    /// outputs write numbers (`1.0`, `0.25`), or null.
    public var json: JSONValue {
        guard let s = scored else { return .object([(Key.months, .number("0"))]) }
        func num(_ d: Double?) -> JSONValue { .number(formatting: d) }
        return .object([
            (Key.months, .number(String(months))), (Key.asOf, .string(s.asOf.description)),
            (Key.horizonDays, .number(String(s.horizonDays))), (Key.accounts, .number(String(s.accounts))),
            (Key.accountsChurned, .number(String(s.accountsChurned))), (Key.baseChurnRate, num(s.baseChurnRate)),
            (Key.topDecileAccounts, .number(String(s.topDecileAccounts))),
            (Key.topDecileChurned, .number(String(s.topDecileChurned))),
            (Key.topDecileChurnRate, num(s.topDecileChurnRate)), (Key.lift, num(s.lift)),
        ])
    }

}

extension AtRiskBacktestRecord {
    /// The record of a parsed file: `scored` only when `accounts` and a valid `as_of` are there
    /// (other missing counts as 0).
    public init(json: JSONValue) {
        let months = json[Key.months]?.intValue ?? 0
        guard let accounts = json[Key.accounts]?.intValue, let text = json[Key.asOf]?.stringValue,
            let asOf = Day(iso: text)
        else {
            self.init(months: months, scored: nil)
            return
        }
        self.init(
            months: months,
            scored: Scored(
                asOf: asOf, horizonDays: json[Key.horizonDays]?.intValue ?? 0, accounts: accounts,
                accountsChurned: json[Key.accountsChurned]?.intValue ?? 0,
                baseChurnRate: json[Key.baseChurnRate]?.doubleValue,
                topDecileAccounts: json[Key.topDecileAccounts]?.intValue ?? 0,
                topDecileChurned: json[Key.topDecileChurned]?.intValue ?? 0,
                topDecileChurnRate: json[Key.topDecileChurnRate]?.doubleValue, lift: json[Key.lift]?.doubleValue))
    }
}
