import XCTest

@testable import CohortKit

/// The billing periods an amount is divided by (docs/metrics.md, rejects): the words, and a whole
/// number of months from 1 to 120, however a spreadsheet or a JSON number writes it.
final class BillingPeriodTests: XCTestCase {
    func testWordsAndWholeNumbersOfMonths() {
        let accepted: [(String, Int)] = [
            ("month", 1), ("Monthly", 1), ("m", 1), ("quarter", 3), ("QUARTERLY", 3), ("q", 3), ("year", 12),
            ("annual", 12), ("annually", 12), ("y", 12), ("1", 1), ("6", 6), ("120", 120), ("+12", 12),
            ("12.0", 12), ("12.00", 12), ("3.", 3), ("120.000", 120),
            // Half years, periods written out, and the Japanese words for them.
            ("semi-annual", 6), ("Semiannual", 6), ("half-year", 6), ("6 months", 6), ("1 month", 1),
            ("12months", 12), ("月", 1), ("月額", 1), ("四半期", 3), ("半年", 6), ("年", 12), ("年払い", 12),
            // Plural units, as an interval unit beside a count (Recurly's `months`).
            ("months", 1), ("Months", 1), ("quarters", 3), ("years", 12),
        ]
        for (text, months) in accepted {
            XCTAssertEqual(IngestStage.billingMonths(text), months, text)
        }
    }

    func testWhatIsNotABillingPeriod() {
        for text in [
            "", "0", "0.0", "121", "121.0", "-1", "12.5", "12.05", ".0", "1e1", "12.0.0", "twelve", "week", "12,0",
            "0 months", "121 months", "-6 months", "six months", "biannual", "週",
        ] {
            XCTAssertNil(IngestStage.billingMonths(text), text)
        }
    }
}
