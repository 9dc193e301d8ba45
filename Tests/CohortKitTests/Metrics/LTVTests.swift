import XCTest

@testable import CohortKit

/// `LTV`: docs/metrics.md's "LTV both ways" example, worked by hand, and the nil cases.
final class LTVTests: XCTestCase {
    func testARPAIsMRROverActiveCustomers() {
        XCTAssertEqual(LTV.arpa(mrrMinor: 1_200_000, activeCustomers: 100), 12_000)
        XCTAssertEqual(LTV.arpa(mrrMinor: 10, activeCustomers: 4), 2.5, "unrounded")
        XCTAssertNil(LTV.arpa(mrrMinor: 0, activeCustomers: 0))
    }

    func testChurnBasedLTVIsARPAOverMonthlyChurn() throws {
        // 12,000 / 0.02 = 600,000.
        XCTAssertEqual(try XCTUnwrap(LTV.churnBased(arpa: 12_000, monthlyChurn: 0.02)), 600_000, accuracy: 1e-6)
        XCTAssertNil(LTV.churnBased(arpa: 12_000, monthlyChurn: 0), "no churn: infinite lifetime, so null")
        XCTAssertNil(LTV.churnBased(arpa: nil, monthlyChurn: 0.02))
        XCTAssertNil(LTV.churnBased(arpa: 12_000, monthlyChurn: nil))
    }

    func testSurvivalBasedLTVIsARPATimesRestrictedMeanMonths() throws {
        // 700 days / 30.4375 = 22.99795... months; × 12,000 = 275,975.36...
        let months = try XCTUnwrap(LTV.lifetimeMonths(restrictedMeanDays: 700))
        XCTAssertEqual(months, 22.998, accuracy: 0.001)
        XCTAssertEqual(LTV.lifetimeMonths(restrictedMeanDays: 30.4375), 1)
        let ltv = try XCTUnwrap(LTV.survivalBased(arpa: 12_000, lifetimeMonths: months))
        XCTAssertEqual(ltv, 275_975.36, accuracy: 0.01)
        XCTAssertNil(LTV.lifetimeMonths(restrictedMeanDays: nil))
        XCTAssertNil(LTV.survivalBased(arpa: nil, lifetimeMonths: months))
        XCTAssertNil(LTV.survivalBased(arpa: 12_000, lifetimeMonths: nil))
    }
}
