import XCTest

@testable import CohortKit

final class SuccessPhasesRowsTests: XCTestCase {
    /// As of 2024-12-31, 30 activation days (windows closed for first starts up to 2024-12-02),
    /// adoption in 2 of 3 months. a (web, 2024-01-10): activated, event in months 0 and 1
    /// (adopted), expanded. b (web, 2024-11-15): window closed, not activated; its three months
    /// end 2025-02-12, so adoption and expansion are not observable. c never converted.
    func testRowsFromTheTableByHand() throws {
        let t = try CustomerTable.make([
            TestCustomer(id: "a", channel: "web", firstStart: "2024-01-10"),
            TestCustomer(id: "b", channel: "web", firstStart: "2024-11-15"),
            TestCustomer(id: "c", channel: "web", firstStart: nil),
        ])
        let rows = SuccessPhases.rows(
            table: t, asOf: try XCTUnwrap(Day(iso: "2024-12-31")), activationDays: 30, adoptionMonths: 2,
            activated: [true, false, false], adoptionBits: [0b011, 0, 0], expanded: [true, nil, nil])
        typealias P = PhaseRecord.Phase
        let jan = Month(year: 2024, month: 1)
        let nov = Month(year: 2024, month: 11)
        XCTAssertEqual(
            rows,
            [
                PhaseRecord(
                    cohort: nil, channel: "(all)", customers: 2, activation: P(customers: 2, reached: 1),
                    adoption: P(customers: 1, reached: 1), expansion: P(customers: 1, reached: 1)),
                PhaseRecord(
                    cohort: jan, channel: "(all)", customers: 1, activation: P(customers: 1, reached: 1),
                    adoption: P(customers: 1, reached: 1), expansion: P(customers: 1, reached: 1)),
                PhaseRecord(
                    cohort: jan, channel: "web", customers: 1, activation: P(customers: 1, reached: 1),
                    adoption: P(customers: 1, reached: 1), expansion: P(customers: 1, reached: 1)),
                PhaseRecord(
                    cohort: nov, channel: "(all)", customers: 1, activation: P(customers: 1, reached: 0),
                    adoption: P(), expansion: P()),
                PhaseRecord(
                    cohort: nov, channel: "web", customers: 1, activation: P(customers: 1, reached: 0),
                    adoption: P(), expansion: P()),
            ])
        let without = SuccessPhases.rows(
            table: t, asOf: try XCTUnwrap(Day(iso: "2024-12-31")), activationDays: 30, adoptionMonths: 2,
            activated: nil, adoptionBits: nil, expanded: [true, nil, nil])
        XCTAssertTrue(without.allSatisfy { $0.activation == nil && $0.adoption == nil }, "no event configured")
    }

    /// Channels "web", "ads", "Zed" and a second cohort: per cohort the `(all)` row, then the
    /// channels in byte order ("Zed" before "ads"); a channel's row counts its own customers only.
    func testRowsPerCohortAllFirstThenChannelsInByteOrder() throws {
        let t = try CustomerTable.make([
            TestCustomer(id: "a", channel: "web", firstStart: "2024-01-10"),
            TestCustomer(id: "b", channel: "ads", firstStart: "2024-01-11"),
            TestCustomer(id: "c", channel: "Zed", firstStart: "2024-01-12"),
            TestCustomer(id: "d", channel: "ads", firstStart: "2024-01-13"),
            TestCustomer(id: "e", channel: "web", firstStart: "2024-02-01"),
        ])
        let rows = SuccessPhases.rows(
            table: t, asOf: try XCTUnwrap(Day(iso: "2024-12-31")), activationDays: 30, adoptionMonths: 2,
            activated: nil, adoptionBits: nil, expanded: [true, false, nil, true, nil])
        XCTAssertEqual(
            rows.map { "\($0.cohort?.description ?? "-") \($0.channel) \($0.customers)" },
            [
                "- (all) 5", "2024-01 (all) 4", "2024-01 Zed 1", "2024-01 ads 2", "2024-01 web 1", "2024-02 (all) 1",
                "2024-02 web 1",
            ])
        XCTAssertEqual(rows.map(\.expansion.reached), [2, 2, 0, 1, 1, 0, 0])
        XCTAssertEqual(rows.map(\.expansion.customers), [3, 3, 0, 2, 1, 0, 0])
    }
}
