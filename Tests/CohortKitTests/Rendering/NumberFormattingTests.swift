import XCTest

@testable import CohortKit

final class NumberFormattingTests: XCTestCase {
    let enJPY = ReportFormatter(locale: .en, currency: "JPY", minorUnits: 0)
    let jaJPY = ReportFormatter(locale: .ja, currency: "JPY", minorUnits: 0)
    let enUSD = ReportFormatter(locale: .en, currency: "USD", minorUnits: 2)
    let jaUSD = ReportFormatter(locale: .ja, currency: "USD", minorUnits: 2)

    func testIntegersAreGroupedByThousands() {
        XCTAssertEqual(enJPY.integer(0), "0")
        XCTAssertEqual(enJPY.integer(999), "999")
        XCTAssertEqual(enJPY.integer(1000), "1,000")
        XCTAssertEqual(enJPY.integer(1_234_567), "1,234,567")
        XCTAssertEqual(jaJPY.integer(-1_234_567), "-1,234,567")
        XCTAssertEqual(enJPY.integer(Int64.min), "-9,223,372,036,854,775,808")
    }

    func testPercentHasOneDecimalAndNoNegativeZero() {
        XCTAssertEqual(enJPY.percent(0.1234), "12.3%")
        XCTAssertEqual(jaJPY.percent(0.1234), "12.3%")
        XCTAssertEqual(enJPY.percent(1.0425), "104.3%")
        XCTAssertEqual(enJPY.percent(-0.05), "-5.0%")
        XCTAssertEqual(enJPY.percent(-0.00001), "0.0%")
        XCTAssertEqual(enJPY.percent(12.5), "1,250.0%")
        XCTAssertEqual(enJPY.percent(nil), "—")
        XCTAssertEqual(enJPY.percent(.nan), "—")
        XCTAssertEqual(enJPY.percent(0.777, digits: 0), "78%")
    }

    func testMoneyUsesMinorUnits() {
        XCTAssertEqual(enJPY.money(Int64(1_234_567)), "¥1,234,567")
        XCTAssertEqual(jaJPY.money(Int64(1_234_567)), "1,234,567円")
        XCTAssertEqual(enUSD.money(Int64(123_456)), "$1,234.56")
        XCTAssertEqual(enUSD.money(Int64(5)), "$0.05")
        XCTAssertEqual(jaUSD.money(Int64(123_456)), "$1,234.56")
        XCTAssertEqual(enJPY.money(Int64(0)), "¥0")
        XCTAssertEqual(enUSD.money(Int64(0)), "$0.00")
    }

    func testNegativeMoneyPutsTheSignFirst() {
        XCTAssertEqual(enJPY.money(Int64(-50_000)), "-¥50,000")
        XCTAssertEqual(jaJPY.money(Int64(-50_000)), "-50,000円")
        XCTAssertEqual(enUSD.money(Int64(-1)), "-$0.01")
        XCTAssertEqual(enJPY.money(Int64.min), "-¥9,223,372,036,854,775,808")
    }

    func testOtherCurrenciesUseTheirCode() {
        let chf = ReportFormatter(locale: .en, currency: "CHF", minorUnits: 2)
        XCTAssertEqual(chf.money(Int64(100_050)), "CHF 1,000.50")
    }

    func testCompactMoneyForAxes() {
        XCTAssertEqual(enJPY.compactMoney(1_200_000), "¥1.2M")
        XCTAssertEqual(enJPY.compactMoney(-50_000), "-¥50K")
        XCTAssertEqual(jaJPY.compactMoney(1_200_000), "120万円")
        XCTAssertEqual(jaJPY.compactMoney(150_000_000), "1.5億円")
        XCTAssertEqual(enUSD.compactMoney(350_000), "$3.5K")
    }

    func testDecimalsAndPValues() {
        XCTAssertEqual(enJPY.decimal(1234.5, digits: 1), "1,234.5")
        XCTAssertEqual(enJPY.decimal(2.005, digits: 0), "2")
        XCTAssertEqual(enJPY.decimal(-0.4, digits: 0), "0")
        XCTAssertEqual(enJPY.pValue(0.0729), "0.073")
        XCTAssertEqual(enJPY.pValue(0.0004), "< 0.001")
        XCTAssertEqual(enJPY.pValue(nil), "—")
    }

    func testDatesMonthsAndDays() {
        XCTAssertEqual(enJPY.date("2024-12-31"), "2024-12-31")
        XCTAssertEqual(jaJPY.date("2024-12-31"), "2024年12月31日")
        XCTAssertEqual(jaJPY.date("2024-01-05"), "2024年1月5日")
        XCTAssertEqual(enJPY.month("2024-12"), "2024-12")
        XCTAssertEqual(jaJPY.month("2024-12"), "2024年12月")
        XCTAssertEqual(jaJPY.month("(weighted)"), "(weighted)")
        XCTAssertEqual(enJPY.days(1), "1 day")
        XCTAssertEqual(enJPY.days(1234), "1,234 days")
        XCTAssertEqual(jaJPY.days(91), "91日")
    }

    func testEveryTextHasBothLanguages() {
        for text in ReportText.allCases {
            XCTAssertFalse(text.pair.en.isEmpty, "\(text)")
            XCTAssertFalse(text.pair.ja.isEmpty, "\(text)")
        }
        let ja = Localizer(locale: .ja)
        for id in Localizer.knownMetricIDs {
            XCTAssertNotEqual(ja.metricName(id), id, id)
            XCTAssertNotNil(ja.definition(id), id)
            XCTAssertNotNil(Localizer(locale: .en).definition(id), id)
        }
    }
}
