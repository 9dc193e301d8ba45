/// The report currency, its fixed exchange rates and the minor units of each currency.
///
/// Converts a source amount into report-currency minor units exactly, rounding half to even once:
/// with report JPY (0 minor units) and USD at 150, `49.99 USD` a month is `7498.5` → `7498` yen.
public struct CurrencyTable: Sendable, Equatable {
    public var report: String
    /// Report-currency units per one unit of each other currency, exact.
    public var rates: [String: ExactDecimal]
    public var minorUnits: [String: Int]

    /// Minor units of the report currency (`defaultMinorUnits` when not configured).
    public var reportMinorUnits: Int { minorUnits[report] ?? CurrencyTable.defaultMinorUnits(report) }

    /// The decimal places ISO 4217 gives a currency that `currency.minor_units` does not list:
    /// 0 for the yen, the won and the other currencies without a minor unit in use, 3 for the
    /// dinars and rials divided in thousandths (KWD, BHD, OMR, JOD, TND, IQD, LYD), 4 for the
    /// Chilean and Uruguayan units of account, and 2 for any other code.
    public static func defaultMinorUnits(_ code: String) -> Int {
        switch code {
        case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF",
            "XOF", "XPF":
            return 0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND": return 3
        case "CLF", "UYW": return 4
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
