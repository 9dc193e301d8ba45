import XCTest

@testable import CohortKit

final class AtRiskBacktestRecordTests: XCTestCase {
    /// As of 2024-12-31: no backtest with 0 months; with 1 month the cut-off (2024-11-30) plus 90
    /// days is after as_of, so the outcome is not known yet.
    func testNoBacktestWhenOffOrNotYetOver() throws {
        let t = try CustomerTable.make([TestCustomer(id: "a", firstStart: "2024-01-01", duration: 366)])
        let asOf = try XCTUnwrap(Day(iso: "2024-12-31"))
        for months in [0, 1] {
            XCTAssertEqual(
                AtRiskBacktest.record(
                    months: months, asOf: asOf, table: t, dims: [], durations: [366], events: [false], who: [0]),
                .none)
        }
    }

    /// 6 months before 2024-12: cut-off 2024-06-30, outcome window to 2024-09-28. All start
    /// 2024-01-01 (182 days survived at the cut-off). a churned on day 100, before the cut-off: not
    /// scored. b churns on day 200 (2024-07-19, inside the window), c is still active, d churns
    /// on day 300 (2024-10-27, after the window). Without dimensions every account has the same
    /// probability, so the top tenth (at least one) is the first by id, b, who churned:
    /// base rate 1/3, top decile 1/1, lift 3.
    func testScoresTheAccountsStillInTheirFirstStretchAtTheCutoff() throws {
        let t = try CustomerTable.make([
            TestCustomer(id: "a", firstStart: "2024-01-01", duration: 100, churned: true),
            TestCustomer(id: "b", firstStart: "2024-01-01", duration: 200, churned: true),
            TestCustomer(id: "c", firstStart: "2024-01-01", duration: 366, churned: false),
            TestCustomer(id: "d", firstStart: "2024-01-01", duration: 300, churned: true),
        ])
        let rows = SurvivalRows(table: t)
        let r = AtRiskBacktest.record(
            months: 6, asOf: try XCTUnwrap(Day(iso: "2024-12-31")), table: t, dims: [], durations: rows.durations,
            events: rows.events, who: rows.who)
        XCTAssertEqual(r.months, 6)
        let s = try XCTUnwrap(r.scored)
        XCTAssertEqual(s.asOf.description, "2024-06-30")
        XCTAssertEqual(s.horizonDays, 90)
        XCTAssertEqual(s.accounts, 3)
        XCTAssertEqual(s.accountsChurned, 1)
        XCTAssertEqual(s.topDecileAccounts, 1)
        XCTAssertEqual(s.topDecileChurned, 1)
        XCTAssertEqual(try XCTUnwrap(s.baseChurnRate), 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(s.lift), 3, accuracy: 1e-12)
    }
}
