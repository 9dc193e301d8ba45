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
        XCTAssertNil(ExactDecimal.parse("abc"))
        XCTAssertNil(ExactDecimal.parse("1.2.3"))
        XCTAssertNil(ExactDecimal.parse(""))
        XCTAssertEqual(ExactDecimal.parseJSONNumber("150.0"), ExactDecimal(mantissa: 1500, scale: 1))
        XCTAssertEqual(ExactDecimal.parseJSONNumber("1.5e2")?.description, "150.0")
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
