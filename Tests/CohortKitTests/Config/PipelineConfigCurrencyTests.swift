import XCTest

@testable import CohortKit

/// `currency`: codes are three ASCII letters, read in upper case as the data's codes are; the
/// report currency has no rate but 1.
final class PipelineConfigCurrencyTests: XCTestCase {
    func config(_ currency: String) throws -> PipelineConfig { try ConfigSectionTesting.config("currency", currency) }

    func assertRefused(
        _ currency: String, keyPath: String, mentions: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        ConfigSectionTesting.assertRefused(
            "currency", currency, keyPath: keyPath, mentions: mentions, prefixed: false, file: file, line: line)
    }

    func testReportCurrencyIsThreeASCIILetters() {
        for bad in ["", "US", "USDX", "U$D", "US ", " USD", "ＵＳＤ", "ÜSD", "12A"] {
            let written = "\"\(bad)\""
            assertRefused(
                #"{"report": "# + written + "}", keyPath: "currency.report",
                mentions: [written + " is not a currency code", "three ASCII letters", "for example \"JPY\""])
        }
        // Control characters in the value are shown escaped, never printed.
        assertRefused(#"{"report": "U\u0000D"}"#, keyPath: "currency.report", mentions: [#""U\u0000D""#])
    }

    /// Codes in the data are matched in upper case (`usd` is USD), so the configuration's are too:
    /// a lower-case report currency converts USD rows rather than taking every row for foreign.
    func testLowerCaseCodesAreReadInUpperCase() throws {
        let c = try config(#"{"report": "jpy", "rates": {"usd": 150.0}, "minor_units": {"jpy": 0, "Usd": 2}}"#)
        XCTAssertEqual(c.currency.report, "JPY")
        XCTAssertEqual(c.currency.rates["USD"]?.description, "150")
        XCTAssertEqual(c.currency.minorUnits, ["JPY": 0, "USD": 2])
        XCTAssertEqual(c.currency.reportMinorUnits, 0)
        XCTAssertNotNil(c.currency.conversion(from: "JPY"))
        XCTAssertEqual(
            c.currency.monthlyMinor(amount: ExactDecimal(mantissa: 1050, scale: 2), currency: "USD", months: 1), 1575)
        // The resolved configuration (manifests, digest) records the codes in upper case.
        let upper = try config(#"{"report": "JPY", "rates": {"USD": 150.0}, "minor_units": {"JPY": 0, "USD": 2}}"#)
        XCTAssertEqual(c.section(["currency"]).serialized(), upper.section(["currency"]).serialized())
        XCTAssertEqual(c.digest, upper.digest)
    }

    func testRateAndMinorUnitKeysAreCurrencyCodes() {
        assertRefused(
            #"{"report": "JPY", "rates": {"US dollar": 150.0}}"#, keyPath: "currency.rates.US dollar",
            mentions: [#""US dollar" is not a currency code"#, "three ASCII letters", #""USD": 150.0"#])
        assertRefused(
            #"{"report": "JPY", "rates": {"": 150.0}}"#, keyPath: "currency.rates.",
            mentions: [#""" is not a currency code"#])
        assertRefused(
            #"{"report": "JPY", "minor_units": {"JPY": 0, "YEN2": 0}}"#, keyPath: "currency.minor_units.YEN2",
            mentions: [#""YEN2" is not a currency code"#, #""JPY": 0"#])
        // One currency twice, in two cases: which rate would apply is not for the reader to guess.
        assertRefused(
            #"{"report": "JPY", "rates": {"USD": 150.0, "usd": 151.0}}"#, keyPath: "currency.rates.usd",
            mentions: [#""usd" is the currency USD, which "USD" names already"#, "Give each currency once"])
        assertRefused(
            #"{"report": "JPY", "minor_units": {"jpy": 0, "JPY": 0}}"#, keyPath: "currency.minor_units.JPY",
            mentions: [#""JPY" is the currency JPY, which "jpy" names already"#])
    }

    /// The report currency converts at 1: a rate of 2 for it would be silently ignored.
    func testARateForTheReportCurrencyMustBeOne() throws {
        assertRefused(
            #"{"report": "JPY", "rates": {"JPY": 2.0, "USD": 150.0}}"#, keyPath: "currency.rates.JPY",
            mentions: ["2.0 is a rate for the report currency JPY, which is always 1", #"Remove "JPY""#])
        assertRefused(
            #"{"report": "jpy", "rates": {"JPY": 0.5}}"#, keyPath: "currency.rates.JPY",
            mentions: ["0.5 is a rate for the report currency JPY"])
        assertRefused(
            #"{"report": "USD", "rates": {"usd": 1.0000001}}"#, keyPath: "currency.rates.usd",
            mentions: ["1.0000001 is a rate for the report currency USD"])
        for one in ["1", "1.0", "1.000", "1e0", "10e-1"] {
            let c = try config(#"{"report": "JPY", "rates": {"jpy": "# + one + #", "USD": 150}}"#)
            XCTAssertEqual(c.currency.rates["JPY"]?.description, "1", one)
        }
    }

    /// Configurations written before the check still load: upper-case codes, the default report
    /// currency, no currency section at all.
    func testUsualConfigurationsStillLoad() throws {
        XCTAssertEqual(try config(#"{}"#).currency.report, "USD")
        XCTAssertEqual(try config(#"null"#).currency.report, "USD")
        let c = try config(
            #"{"report": "JPY", "rates": {"USD": 150.0, "EUR": 160.25, "KRW": 0.11}, "minor_units": {"JPY": 0, "USD": 2, "KRW": 0}}"#
        )
        XCTAssertEqual(c.currency.rates.keys.sorted(), ["EUR", "KRW", "USD"])
    }
}

extension PipelineConfigCurrencyTests {
    func source(currency: String) throws -> PipelineConfig {
        let text =
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv", "currency": "#
            + currency + "}}}"
        return try PipelineConfig(value: JSONParser.parse(text), file: "/tmp/x/pipeline.json")
    }

    /// A source's default currency is a code like the others: `usd` there was taken as written,
    /// so every row without a currency was rejected as an unknown currency `usd`.
    func testASourcesCurrencyIsACodeReadInUpperCase() throws {
        XCTAssertEqual(try source(currency: #""usd""#).sources[.subscriptions]?.currency, "USD")
        XCTAssertEqual(try source(currency: #""EUR""#).sources[.subscriptions]?.currency, "EUR")
        XCTAssertNil(try source(currency: "null").sources[.subscriptions]?.currency)
        for bad in [#""""#, #""dollars""#, #""U$D""#] {
            XCTAssertThrowsError(try source(currency: bad), bad) { e in
                guard let e = e as? ConfigError else { return XCTFail("\(e)") }
                XCTAssertEqual(e.keyPath, "sources.subscriptions.currency")
                XCTAssertTrue(e.description.contains("\(bad) is not a currency code"), e.description)
            }
        }
    }
}
