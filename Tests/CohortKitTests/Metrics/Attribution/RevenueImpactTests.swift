import XCTest

@testable import CohortKit

final class RevenueImpactTests: XCTestCase {
    /// Customers (base months, churned months, MRR at as_of, level): (12, 0, 1,000, x),
    /// (10, 1, 0, x), (6, 1, 2,000, y), (0, 0, 0, z).
    /// Overall: 2/28 = 1/14 a month; MRR 3,000; one point a year: 0.01 × 3,000 × 12 = 360.
    /// x: 1/22 a month on 1,000: (1/22 − 1/14) × 12,000 = −24,000/77 = −311.69 → −312.
    /// y: 1/6 on 2,000: (1/6 − 1/14) × 24,000 = 48,000/21 = 2,285.71 → 2,286.
    /// z: no base, no rate: nothing kept.
    func testRowsByHand() throws {
        let d = AttributionDimension(name: "plan", levels: ["x", "y", "z"], level: [0, 0, 1, 2], pooledLevel: nil)
        let rows = try RevenueImpact.rows(
            monthlyBase: [12, 10, 6, 0], monthlyChurned: [0, 1, 1, 0], mrrAtAsOf: [1_000, 0, 2_000, 0], dims: [d])
        XCTAssertEqual(rows.map(\.dimension), ["(all)", "plan", "plan", "plan"])
        XCTAssertEqual(rows.map(\.value), ["(all)", "x", "y", "z"])
        XCTAssertTrue(rows[0].isOverall)
        XCTAssertEqual(rows[0].mrrMinor, 3_000)
        XCTAssertEqual(rows[0].mrrKeptPerYearMinor, 360)
        XCTAssertEqual(try XCTUnwrap(rows[0].monthlyChurn), 1.0 / 14, accuracy: 1e-15)
        XCTAssertEqual(rows.map(\.overallMonthlyChurn), Array(repeating: rows[0].monthlyChurn, count: 4))
        XCTAssertEqual(try XCTUnwrap(rows[1].monthlyChurn), 1.0 / 22, accuracy: 1e-15)
        XCTAssertEqual(rows.map(\.mrrMinor), [3_000, 1_000, 2_000, 0])
        XCTAssertEqual(rows.map(\.mrrKeptPerYearMinor), [360, -312, 2_286, nil])
        XCTAssertNil(rows[3].monthlyChurn)
    }

    /// Without any base month there is no overall rate: segments keep nothing either.
    func testNoBaseNoRates() throws {
        let d = AttributionDimension(name: "plan", levels: ["x"], level: [0], pooledLevel: nil)
        let rows = try RevenueImpact.rows(monthlyBase: [0], monthlyChurned: [0], mrrAtAsOf: [500], dims: [d])
        XCTAssertNil(rows[0].monthlyChurn)
        XCTAssertEqual(rows[0].mrrKeptPerYearMinor, 60)
        XCTAssertNil(rows[1].mrrKeptPerYearMinor)
    }
}
