/// The report currency, its fixed exchange rates and the minor units of each currency.
///
/// Converts a source amount into report-currency minor units exactly, rounding half to even once:
/// with report JPY (0 minor units) and USD at 150, `49.99 USD` a month is `7498.5` → `7498` yen.
public struct CurrencyTable: Sendable, Equatable {
    public var report: String
    /// Report-currency units per one unit of each other currency, exact.
    public var rates: [String: ExactDecimal]
    public var minorUnits: [String: Int]

    /// Minor units of the report currency (default 2 when not configured, 0 for JPY/KRW).
    public var reportMinorUnits: Int { minorUnits[report] ?? CurrencyTable.defaultMinorUnits(report) }

    public static func defaultMinorUnits(_ code: String) -> Int {
        switch code {
        case "JPY", "KRW", "VND", "CLP", "ISK", "TWD", "HUF": return code == "TWD" || code == "HUF" ? 2 : 0
        default: return 2
        }
    }

    /// Monthly amount in report minor units: `amount × rate × 10^minor / months`, rounded half-even.
    /// Nil when the currency has no rate or the result does not fit 64 bits; ingest further
    /// rejects results above `CheckedMinor.maxMRR`.
    public func monthlyMinor(amount: ExactDecimal, currency: String, months: Int) -> Int64? {
        conversion(from: currency)?.monthlyMinor(amount: amount, months: months)
    }

    /// How amounts in `currency` convert (nil without a rate): looked up once and kept by callers
    /// that convert many rows of one currency.
    public func conversion(from currency: String) -> Conversion? {
        let rate: ExactDecimal
        if currency == report {
            rate = ExactDecimal(mantissa: 1, scale: 0)
        } else if let r = rates[currency] {
            rate = r
        } else {
            return nil
        }
        return Conversion(currency: currency, rate: rate, reportScale: ExactDecimal.pow10(reportMinorUnits))
    }

    /// One currency's rate into report minor units.
    public struct Conversion: Sendable, Equatable {
        /// The currency converted from.
        public let currency: String
        let rate: ExactDecimal
        /// 10^(minor units of the report currency).
        let reportScale: Int128

        /// `amount × rate × 10^minor / months`, rounded half-even; nil when a step overflows.
        public func monthlyMinor(amount: ExactDecimal, months: Int) -> Int64? {
            guard months > 0 else { return nil }
            let (num, o1) = amount.mantissa.multipliedReportingOverflow(by: rate.mantissa)
            guard !o1 else { return nil }
            let (num2, o2) = num.multipliedReportingOverflow(by: reportScale)
            // Every step reports overflow: a rate or amount too large or too precise is nil, never a trap.
            guard !o2, amount.scale >= 0, rate.scale >= 0, amount.scale + rate.scale <= 36 else { return nil }
            let (den, o3) = ExactDecimal.pow10(amount.scale + rate.scale).multipliedReportingOverflow(
                by: Int128(months))
            guard !o3 else { return nil }
            let q = ExactDecimal.divideRoundingHalfEven(num2, den)
            guard q <= Int128(Int64.max), q >= Int128(Int64.min) else { return nil }
            return Int64(q)
        }
    }
}
