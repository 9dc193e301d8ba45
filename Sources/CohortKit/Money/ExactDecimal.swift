import Foundation

/// A decimal number held exactly as `mantissa / 10^scale` (money amounts, exchange rates).
///
/// Binary floating point cannot hold 0.1 or 49.99; keeping the decimal digits lets conversion to
/// minor units round exactly once. Example: "1,234.50" is mantissa 123450, scale 2.
public struct ExactDecimal: Equatable, Sendable, CustomStringConvertible {
    public var mantissa: Int128
    public var scale: Int

    public var isNegative: Bool { mantissa < 0 }
    public var isZero: Bool { mantissa == 0 }

    /// Parses `[-+]digits[.digits]`, allowing `,` thousands separators between digit groups when
    /// `allowThousands` is set (`1,234.50`; not `0,990`), and surrounding spaces. At most 30 digits.
    public static func parse(_ b: UnsafeBufferPointer<UInt8>, allowThousands: Bool = true) -> ExactDecimal? {
        var lo = 0
        var hi = b.count
        while lo < hi, b[lo] == 32 { lo += 1 }
        while hi > lo, b[hi - 1] == 32 { hi -= 1 }
        guard lo < hi else { return nil }
        var negative = false
        if b[lo] == 45 || b[lo] == 43 {
            negative = b[lo] == 45
            lo += 1
        }
        var m: Int128 = 0
        var digits = 0
        var scale = 0
        var seenPoint = false
        var groupDigits = 0
        var sawComma = false
        var i = lo
        while i < hi {
            let c = b[i]
            if c >= 48, c <= 57 {
                digits += 1
                guard digits <= 30 else { return nil }
                m = m * 10 + Int128(c - 48)
                if seenPoint { scale += 1 } else { groupDigits += 1 }
            } else if c == 46, !seenPoint {
                guard digits > 0 || i + 1 < hi else { return nil }
                if sawComma, groupDigits != 3 { return nil }
                seenPoint = true
            } else if c == 44, allowThousands, !seenPoint, digits > 0 {
                // Thousands separators: groups after the first have exactly three digits, and the
                // first does not start with a zero (`0,990` and `00,500` are decimal commas).
                if sawComma, groupDigits != 3 { return nil }
                if !sawComma, groupDigits > 3 || b[lo] == 48 { return nil }
                sawComma = true
                groupDigits = 0
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        if sawComma, !seenPoint, groupDigits != 3 { return nil }
        return ExactDecimal(mantissa: negative ? -m : m, scale: scale)
    }

    public static func parse(_ text: String) -> ExactDecimal? {
        var s = text
        return s.withUTF8 { parse($0) }
    }

    /// Exact decimal of a JSON number's literal text (e.g. `150.0`, `0.0067`, `1e2`); nil when it
    /// does not fit 36 digits and 60 decimal places (`1e50`, `1e400`, `1e-999`).
    public static func parseJSONNumber(_ text: String) -> ExactDecimal? {
        let lower = text.lowercased()
        if let e = lower.firstIndex(of: "e") {
            let expText = lower[lower.index(after: e)...]
            // Exponents past a few hundred cannot give a representable value; reading them
            // digit by digit would only risk overflowing the exponent itself.
            guard expText.count <= 6, var base = parse(String(lower[..<e]), allowThousands: false),
                let exp = Int(expText), abs(exp) <= 400
            else { return nil }
            if exp >= 0 {
                for _ in 0..<exp {
                    let (m, o) = base.mantissa.multipliedReportingOverflow(by: 10)
                    guard !o, m.magnitude < ExactDecimal.pow10(36).magnitude else { return nil }
                    base.mantissa = m
                }
            } else {
                base.scale += -exp
            }
            return base.scale <= 60 ? base : nil
        }
        var s = lower
        return s.withUTF8 { parse($0, allowThousands: false) }
    }

    /// Parses text as `parse(_:allowThousands:)` does.
    public static func parse(_ text: String, allowThousands: Bool) -> ExactDecimal? {
        var s = text
        return s.withUTF8 { parse($0, allowThousands: allowThousands) }
    }

    /// The value as a `Double` (approximate), for range checks.
    public var approximateValue: Double { Double(mantissa) / Foundation.pow(10.0, Double(scale)) }

    /// The same value with trailing zero decimals dropped (`150.00` → `150`).
    public var normalized: ExactDecimal {
        var r = self
        while r.scale > 0, r.mantissa % 10 == 0 {
            r.mantissa /= 10
            r.scale -= 1
        }
        return r
    }

    public var description: String {
        var digits = String(mantissa.magnitude)
        if scale > 0 {
            while digits.count <= scale { digits = "0" + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (mantissa < 0 ? "-" : "") + digits
    }

    /// `numerator / denominator` rounded half to even (banker's rounding); denominator ≠ 0, of
    /// either sign (a rounded quotient moves away from zero in the direction of its sign).
    public static func divideRoundingHalfEven(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        // Amounts and rates of everyday size fit 64 bits, where division is one instruction rather
        // than a call into the 128-bit routine; the rounding is the same below.
        if let n = Int64(exactly: numerator), let d = Int64(exactly: denominator), d != Int64.min, n != Int64.min {
            if d == 1 { return numerator }
            var q = n / d
            let r = n % d
            let twice = r.magnitude * 2
            if twice > d.magnitude || (twice == d.magnitude && q % 2 != 0) { q += (n < 0) != (d < 0) ? -1 : 1 }
            return Int128(q)
        }
        return divideRoundingHalfEvenWide(numerator, denominator)
    }

    /// `divideRoundingHalfEven` in 128-bit arithmetic throughout (the path for large values).
    static func divideRoundingHalfEvenWide(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        var q = numerator / denominator
        let r = numerator % denominator
        let twice = r.magnitude * 2
        if twice > denominator.magnitude || (twice == denominator.magnitude && q % 2 != 0) {
            q += (numerator < 0) != (denominator < 0) ? -1 : 1
        }
        return q
    }

    /// 10^n for 0 ≤ n ≤ 38 (the largest power of ten an `Int128` holds); n is clamped to that.
    @inlinable public static func pow10(_ n: Int) -> Int128 {
        var v: Int128 = 1
        for _ in 0..<min(max(0, n), 38) { v *= 10 }
        return v
    }
}
