import XCTest

@testable import CohortKit

final class SurvivalRowsTests: XCTestCase {
    /// Of a (converted, 40 days, churned), b (never converted) and c (converted, 300 days,
    /// censored), the rows are a and c, in table order.
    func testConvertedCustomersInTableOrder() throws {
        let t = try CustomerTable.make([
            TestCustomer(id: "a", duration: 40, churned: true), TestCustomer(id: "b", firstStart: nil),
            TestCustomer(id: "c", duration: 300, churned: false),
        ])
        let rows = SurvivalRows(table: t)
        XCTAssertEqual(rows.who, [0, 2])
        XCTAssertEqual(rows.durations, [40, 300])
        XCTAssertEqual(rows.events, [true, false])
        XCTAssertEqual(rows.count, 2)
    }
}
