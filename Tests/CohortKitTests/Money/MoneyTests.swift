import XCTest

@testable import CohortKit

final class MoneyTests: XCTestCase {
    func testParsesDecimalsExactly() {
        XCTAssertEqual(ExactDecimal.parse("49.99"), ExactDecimal(mantissa: 4999, scale: 2))
        XCTAssertEqual(ExactDecimal.parse("1,234,567.5"), ExactDecimal(mantissa: 12_345_675, scale: 1))
        XCTAssertEqual(ExactDecimal.parse("-3"), ExactDecimal(mantissa: -3, scale: 0))
        XCTAssertEqual(ExactDecimal.parse(" 12 "), ExactDecimal(mantissa: 12, scale: 0))
        XCTAssertNil(ExactDecimal.parse("12,34"))
        XCTAssertNil(ExactDecimal.parse("1,2345"))
        // A first group starting with a zero is a decimal comma, not thousands: a reject, not 990.
        XCTAssertNil(ExactDecimal.parse("0,990"))
        XCTAssertNil(ExactDecimal.parse("00,500"))
        XCTAssertNil(ExactDecimal.parse("-0,250"))
        XCTAssertEqual(ExactDecimal.parse("10,990"), ExactDecimal(mantissa: 10990, scale: 0))
        XCTAssertNil(ExactDecimal.parse("abc"))
        XCTAssertNil(ExactDecimal.parse("1.2.3"))
        XCTAssertNil(ExactDecimal.parse(""))
        XCTAssertEqual(ExactDecimal.parseJSONNumber("150.0"), ExactDecimal(mantissa: 1500, scale: 1))
        XCTAssertEqual(ExactDecimal.parseJSONNumber("1.5e2")?.description, "150.0")
    }

    /// The 64-bit path rounds exactly as the 128-bit one: seeded random operands from 1 to 100
    /// bits (past 64 only the wide path answers), ties with small and large denominators, both
    /// signs, and the edges of the 64-bit range.
    func testDivisionFastPathMatchesTheWidePath() {
        var rng = SplitMix64(seed: 20_241_231)
        var cases: [(Int128, Int128)] = [
            (Int128(Int64.max), 1), (Int128(Int64.max), 2), (Int128(Int64.min), 2), (Int128(Int64.min) + 1, 2),
            (Int128(Int64.max) + 1, 2), (-Int128(Int64.max), 3), (5, -2), (-7, -2), (0, 7), (1, Int128(Int64.max)),
        ]
        for _ in 0..<20_000 {
            let bits = Int.random(in: 1...100, using: &rng)
            let r = Int128(Int64.random(in: Int64.min...Int64.max, using: &rng))
            let n = bits <= 63 ? r >> Int128(63 - bits) : r << Int128(bits - 63)
            let d = Int128(Int64.random(in: 1...Int64.max, using: &rng)) >> Int128(Int.random(in: 0...62, using: &rng))
            let den = (d == 0 ? 1 : d) * (Bool.random(using: &rng) ? 1 : -1)
            cases.append((n, den))
            // A tie: an odd multiple of half an even denominator, small or large.
            let odd = Int128(Int32.random(in: -1000...1000, using: &rng)) * 2 + 1
            let half = Int128(Int64.random(in: 1...(1 << 40), using: &rng))
            cases.append((odd * 5, 10))
            cases.append((odd * half, 2 * half * (Bool.random(using: &rng) ? 1 : -1)))
        }
        for (n, d) in cases {
            XCTAssertEqual(
                ExactDecimal.divideRoundingHalfEven(n, d), ExactDecimal.divideRoundingHalfEvenWide(n, d), "\(n) / \(d)")
        }
    }

    /// Hand-worked quotients with a negative denominator: the rounding follows the quotient's sign.
    func testHalfEvenRoundingWithNegativeDenominators() {
        let wide = Int128(1) << 80
        for (n, d, q) in [(5, -3, -2), (7, -2, -4), (-7, -2, 4), (3, -2, -2), (-5, 2, -2), (-3, 2, -2), (5, -2, -2)] {
            XCTAssertEqual(ExactDecimal.divideRoundingHalfEven(Int128(n), Int128(d)), Int128(q), "\(n) / \(d)")
            // The same quotients through the 128-bit path.
            XCTAssertEqual(
                ExactDecimal.divideRoundingHalfEven(Int128(n) * wide, Int128(d) * wide), Int128(q),
                "\(n)·2^80 / \(d)·2^80")
        }
    }

    func testHalfEvenRounding() {
        XCTAssertEqual(ExactDecimal.divideRoundingHalfEven(5, 2), 2)  // 2.5 -> 2
        XCTAssertEqual(ExactDecimal.divideRoundingHalfEven(7, 2), 4)  // 3.5 -> 4
        XCTAssertEqual(ExactDecimal.divideRoundingHalfEven(-5, 2), -2)  // -2.5 -> -2
        XCTAssertEqual(ExactDecimal.divideRoundingHalfEven(11, 4), 3)  // 2.75 -> 3
        XCTAssertEqual(ExactDecimal.divideRoundingHalfEven(9, 4), 2)  // 2.25 -> 2
    }

    func testConversionRoundsOncePerSubscription() {
        let t = CurrencyTable(
            report: "JPY", rates: ["USD": ExactDecimal(mantissa: 1500, scale: 1)], minorUnits: ["JPY": 0, "USD": 2])
        // 49.99 USD a month at 150 = 7498.5 yen -> half-even 7498.
        XCTAssertEqual(t.monthlyMinor(amount: ExactDecimal.parse("49.99")!, currency: "USD", months: 1), 7498)
        // 1,000 USD a year = 150,000 / 12 = 12,500 yen a month exactly.
        XCTAssertEqual(t.monthlyMinor(amount: ExactDecimal.parse("1000")!, currency: "USD", months: 12), 12500)
        // 100,000 yen a quarter = 33,333.33 -> 33,333.
        XCTAssertEqual(t.monthlyMinor(amount: ExactDecimal.parse("100000")!, currency: "JPY", months: 3), 33333)
        XCTAssertNil(t.monthlyMinor(amount: ExactDecimal.parse("1")!, currency: "EUR", months: 1))
        let usd = CurrencyTable(report: "USD", rates: [:], minorUnits: [:])
        // 12.5 cents -> 12, 13.5 cents -> 14 (half to even)
        XCTAssertEqual(usd.monthlyMinor(amount: ExactDecimal.parse("0.125")!, currency: "USD", months: 1), 12)
        XCTAssertEqual(usd.monthlyMinor(amount: ExactDecimal.parse("0.135")!, currency: "USD", months: 1), 14)
    }
}
