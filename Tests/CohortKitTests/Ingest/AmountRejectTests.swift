import XCTest

@testable import CohortKit

/// An amount that is not read says why when its spelling shows what was meant, and what to
/// write instead; one that says nothing is "not a number".
final class AmountRejectTests: XCTestCase {
    func testTheReasonSaysWhatToWriteInstead() {
        let cases: [(String, String)] = [
            ("¥1,000", "without a currency sign"), ("$12.50", "without a currency sign"),
            ("12.50 €", "without a currency sign"), ("(100)", "accounting parentheses"),
            ("12.5%", "a percentage is not an amount"), ("１０００", "not full-width"),
            ("1 000", "without spaces or apostrophes"), ("1\u{A0}000", "without spaces or apostrophes"),
            ("1'000", "without spaces or apostrophes"), ("1.234,56", "a decimal comma is not read"),
            ("12,50", "a decimal comma is not read"),
            ("1.000000000000000000000000000000", "it has 31 digits, more than the 30"),
            // A currency code beside the number, as billing exports write amounts.
            ("49.00 USD", "without the currency code"), ("USD 1,200.00", "without the currency code"),
            ("49eur", "without the currency code"),
        ]
        for (written, why) in cases {
            let reason = IngestStage.notANumber(written)
            XCTAssertTrue(reason.hasPrefix("\"\(written)\" is not a number: "), reason)
            XCTAssertTrue(reason.contains(why), "\(written): \(reason)")
        }
        for plain in ["abc", "1e3", "12..5", "1,23,456", "-", "USD", "12ab", "1234USDT"] {
            XCTAssertEqual(IngestStage.notANumber(plain), "\"\(plain)\" is not a number")
        }
    }
}
