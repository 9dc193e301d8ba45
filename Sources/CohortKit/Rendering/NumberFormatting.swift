/// Locale-aware, machine-independent formatting of report numbers, money and dates.
///
/// Everything is built by hand from integers so that output never depends on the host's locale
/// settings; money uses integer arithmetic on minor units.
public struct ReportFormatter: Sendable {
    public let locale: ReportLocale
    /// ISO 4217 code of the report currency.
    public let currency: String
    /// Digits after the decimal point of `currency`.
    public let minorUnits: Int

    /// Shown for a value that is undefined (nil, NaN or infinite).
    public static let missing = "—"

    public init(locale: ReportLocale, currency: String, minorUnits: Int) {
        self.locale = locale
        self.currency = currency
        self.minorUnits = max(0, min(minorUnits, 6))
    }

    // MARK: Integers

    /// `1234567` -> `1,234,567`; `-5` -> `-5`.
    public func integer<T: BinaryInteger>(_ value: T) -> String {
        let negative = value < 0
        let digits = String(value.magnitude)
        return (negative ? "-" : "") + Self.grouped(digits)
    }

    /// Inserts a comma every three digits from the right of a string of ASCII digits.
    static func grouped(_ digits: String) -> String {
        let chars = Array(digits)
        var out = ""
        out.reserveCapacity(chars.count + chars.count / 3)
        for (i, c) in chars.enumerated() {
            if i > 0 && (chars.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    // MARK: Decimals

    /// Fixed-point decimal with grouping, rounding halves away from zero: `1234.5, 1` -> `1,234.5`.
    public func decimal(_ value: Double?, digits: Int) -> String {
        guard let value, value.isFinite else { return Self.missing }
        let digits = max(0, min(digits, 9))
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * scale).rounded(.toNearestOrAwayFromZero)
        guard abs(scaled) < 9.0e15 else { return value < 0 ? "-∞" : "∞" }
        return Self.fixedPoint(magnitude: UInt64(abs(scaled)), negative: scaled < 0, fractionDigits: digits)
    }

    /// Writes a count of 10^-digits units as a grouped decimal; no sign on zero.
    static func fixedPoint(magnitude: UInt64, negative: Bool, fractionDigits digits: Int) -> String {
        var divisor: UInt64 = 1
        for _ in 0..<digits { divisor *= 10 }
        let whole = magnitude / divisor
        let fraction = magnitude % divisor
        var text = grouped(String(whole))
        if digits > 0 {
            let f = String(fraction)
            text += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return (negative && magnitude != 0 ? "-" : "") + text
    }

    /// Ratio as a percentage with one decimal: `0.1234` -> `12.3%`.
    public func percent(_ ratio: Double?, digits: Int = 1) -> String {
        guard let ratio, ratio.isFinite else { return Self.missing }
        return decimal(ratio * 100, digits: digits) + "%"
    }

    /// p-value with three decimals, or `< 0.001`.
    public func pValue(_ p: Double?) -> String {
        guard let p, p.isFinite else { return Self.missing }
        if p < 0.001 { return "< 0.001" }
        return decimal(p, digits: 3)
    }

    // MARK: Money

    private static let symbols: [String: String] = ["JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£"]

    /// Minor units as money in the report currency: en `¥1,234,567`, `$1,234.56`;
    /// ja `1,234,567円`, `$1,234.56`. Other currencies are prefixed by their code.
    public func money(_ minor: Int64?) -> String {
        guard let minor else { return Self.missing }
        let negative = minor < 0
        let amount = Self.fixedPoint(magnitude: minor.magnitude, negative: false, fractionDigits: minorUnits)
        let sign = negative ? "-" : ""
        if locale == .ja && currency == "JPY" { return sign + amount + "円" }
        if let symbol = Self.symbols[currency] { return sign + symbol + amount }
        return sign + currency + " " + amount
    }

    /// Money given as a Double of minor units (headline values), rounded to whole minor units.
    public func money(_ minor: Double?) -> String {
        guard let minor, minor.isFinite, abs(minor) < 9.0e18 else { return Self.missing }
        return money(Int64(minor.rounded(.toNearestOrAwayFromZero)))
    }

    /// Short money for chart axes: en `¥1.2M`, `$35K`; ja `120万円`, `1.5億円`.
    public func compactMoney(_ minor: Int64) -> String {
        var divisor = 1.0
        for _ in 0..<minorUnits { divisor *= 10 }
        let major = Double(minor) / divisor
        let magnitude = abs(major)
        let sign = major < 0 ? "-" : ""
        let body: String
        if locale == .ja {
            let unit: (Double, String) = magnitude >= 1e8 ? (1e8, "億") : magnitude >= 1e4 ? (1e4, "万") : (1, "")
            body = trimmed(decimal(magnitude / unit.0, digits: unit.1.isEmpty ? 0 : 1)) + unit.1
            if currency == "JPY" { return sign + body + "円" }
        } else {
            let unit: (Double, String) =
                magnitude >= 1e9 ? (1e9, "B") : magnitude >= 1e6 ? (1e6, "M") : magnitude >= 1e3 ? (1e3, "K") : (1, "")
            body = trimmed(decimal(magnitude / unit.0, digits: unit.1.isEmpty ? 0 : 1)) + unit.1
        }
        if let symbol = Self.symbols[currency] { return sign + symbol + body }
        return sign + body + " " + currency
    }

    private func trimmed(_ s: String) -> String {
        s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    // MARK: Values of a kind

    /// `value` as `value(_:kind:)` shows it, with up to four more decimals while it would read as
    /// one of `bars` without being equal to it: an NRR of 0.9996 beside a "below 100%" verdict
    /// reads 99.96%, not 100.0%. Money and days are shown as they are (whole units).
    public func value(_ value: Double?, kind: ValueKind, bars: [Double]) -> String {
        guard let v = value, v.isFinite, kind == .percent || kind == .number else {
            return self.value(value, kind: kind)
        }
        let scale = kind == .percent ? 100.0 : 1.0
        if kind == .number, v == v.rounded(), abs(v) < 1e15 { return self.value(value, kind: kind) }
        let base = kind == .percent ? 1 : 2
        func readsAsABar(_ digits: Int) -> Bool {
            bars.contains { $0 != v && decimal($0 * scale, digits: digits) == decimal(v * scale, digits: digits) }
        }
        var digits = base
        while digits <= base + 4, readsAsABar(digits) { digits += 1 }
        // Closer than that is arithmetic noise, not a difference worth showing.
        if digits > base + 4 { digits = base }
        return kind == .percent ? percent(v, digits: digits) : decimal(v, digits: digits)
    }

    /// A configured number (a check's bound) as `value(_:kind:)` shows it, with as many more
    /// decimals (up to six) as it takes to show it exactly: a bound of 1.17066 reads 117.066%,
    /// not 117.1%, so an actual value beside it is never seen on the wrong side of it.
    public func exact(_ value: Double, kind: ValueKind) -> String {
        guard value.isFinite, kind == .percent || kind == .number else { return self.value(value, kind: kind) }
        if kind == .number, value == value.rounded(), abs(value) < 1e15 { return self.value(value, kind: kind) }
        let scaled = kind == .percent ? value * 100 : value
        let base = kind == .percent ? 1 : 2
        var digits = base
        var p = base == 1 ? 10.0 : 100.0
        while digits < base + 6, abs((scaled * p).rounded() / p - scaled) > 1e-9 * max(1, abs(scaled)) {
            digits += 1
            p *= 10
        }
        return kind == .percent ? percent(value, digits: digits) : decimal(value, digits: digits)
    }

    /// Writes a value of the given kind (`percent` takes a ratio, `money` minor units).
    public func value(_ value: Double?, kind: ValueKind) -> String {
        switch kind {
        case .percent: return percent(value)
        case .money: return money(value)
        case .days:
            guard let value, value.isFinite else { return Self.missing }
            return days(Int(value.rounded(.toNearestOrAwayFromZero)))
        case .number:
            guard let value, value.isFinite else { return Self.missing }
            return value == value.rounded() && abs(value) < 1e15 ? integer(Int64(value)) : decimal(value, digits: 2)
        }
    }

    /// A number of days: en `123 days`, ja `123日`.
    public func days(_ n: Int?) -> String {
        guard let n else { return Self.missing }
        switch locale {
        case .en: return integer(n) + (n == 1 ? " day" : " days")
        case .ja: return integer(n) + "日"
        }
    }

    // MARK: Dates

    /// `YYYY-MM-DD` as en `2024-12-31`, ja `2024年12月31日`; other text is returned unchanged.
    public func date(_ iso: String) -> String {
        guard locale == .ja else { return iso }
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return iso }
        return "\(y)年\(m)月\(d)日"
    }

    /// `YYYY-MM` as en `2024-12`, ja `2024年12月`; other text is returned unchanged.
    public func month(_ iso: String) -> String {
        guard locale == .ja else { return iso }
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return iso }
        return "\(y)年\(m)月"
    }
}
