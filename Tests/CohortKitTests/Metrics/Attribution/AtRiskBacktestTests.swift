import XCTest

@testable import CohortKit

/// The pieces of the at-risk backtest worked by hand: the survival rows cut back to the earlier
/// date, and the tally of the top tenth against all scored accounts (docs/metrics.md#accounts-at-risk).
/// `AtRiskBacktestRecordTests` runs the whole backtest on customers.
final class AtRiskBacktestTests: XCTestCase {
    /// Cut-off C = 2024-06-30; days relative to it (a churn on day `start + duration`):
    ///
    ///     row  start   duration  churned   at C
    ///     0    C − 99  50        yes       churned on C − 49: kept, 50 days, churned
    ///     1    C − 99  150       yes       churns on C + 51: censored at C, C − (C − 99) + 1 = 100 days
    ///     2    C − 9   10        yes       churns on C + 1: censored, C − (C − 9) + 1 = 10 days
    ///     3    C − 9   9         yes       churns on C itself: kept, 9 days, churned
    ///     4    C + 1   5         yes       starts after C: left out
    ///     5    C       30        no        starts on C: censored after 1 day
    func testCutCensorsLaterChurnsAndDropsLaterStarts() throws {
        let c = try XCTUnwrap(Day(iso: "2024-06-30"))
        let starts = [c - 99, c - 99, c - 9, c - 9, c + 1, c].map(\.raw)
        let cut = AtRiskBacktest.cut(
            starts: starts, durations: [50, 150, 10, 9, 5, 30], events: [true, true, true, true, true, false],
            cutoff: c)
        XCTAssertEqual(cut.kept, [0, 1, 2, 3, 5])
        XCTAssertEqual(cut.durations, [50, 100, 10, 9, 1])
        XCTAssertEqual(cut.events, [true, false, false, true, false])
    }

    /// Five scored accounts, the top tenth is max(1, 5 / 10) = 1 account. Probabilities
    /// e 0.2, d 0.5, c 0.5, b 0.1, a 0.3: d and c tie at the top and c comes first by id; c
    /// churned (d did not), so the top decile has 1 churned of 1. Churned overall: e and c,
    /// base rate 2/5 = 0.4, top-decile rate 1, lift 1 / 0.4 = 2.5.
    func testTopTenthTiesBrokenById() throws {
        let b = AtRiskBacktest.tally(
            asOf: Day(raw: 100), probability: [0.2, 0.5, 0.5, 0.1, 0.3],
            churnedNext: [true, false, true, false, false],
            ids: ["e", "d", "c", "b", "a"])
        XCTAssertEqual(
            b, AtRiskBacktest(asOf: Day(raw: 100), accounts: 5, accountsChurned: 2, topDecile: 1, topDecileChurned: 1))
        XCTAssertEqual(try XCTUnwrap(b.baseRate), 0.4, accuracy: 1e-15)
        XCTAssertEqual(b.topDecileRate, 1)
        XCTAssertEqual(try XCTUnwrap(b.lift), 2.5, accuracy: 1e-12)
        // Swapping the ids puts d (not churned) first.
        let swapped = AtRiskBacktest.tally(
            asOf: Day(raw: 100), probability: [0.2, 0.5, 0.5, 0.1, 0.3],
            churnedNext: [true, false, true, false, false],
            ids: ["e", "c", "d", "b", "a"])
        XCTAssertEqual(swapped.topDecileChurned, 0)
        XCTAssertEqual(swapped.lift, 0)
    }

    /// Twenty accounts with probabilities 0.00, 0.01, ..., 0.19: the top tenth is the two highest,
    /// rows 19 and 18. Rows 0 and 18 churned: base rate 2/20 = 0.1, top decile 1/2 = 0.5, lift 5.
    func testTopTenthOfTwenty() throws {
        var churned = Array(repeating: false, count: 20)
        churned[0] = true
        churned[18] = true
        let b = AtRiskBacktest.tally(
            asOf: Day(raw: 0), probability: (0..<20).map { Double($0) / 100 }, churnedNext: churned,
            ids: (0..<20).map { String(format: "c%02d", $0) })
        XCTAssertEqual(b.accounts, 20)
        XCTAssertEqual(b.accountsChurned, 2)
        XCTAssertEqual(b.topDecile, 2)
        XCTAssertEqual(b.topDecileChurned, 1)
        XCTAssertEqual(try XCTUnwrap(b.baseRate), 0.1, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(b.topDecileRate), 0.5, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(b.lift), 5, accuracy: 1e-12)
    }

    /// No account scored: no rates. Accounts but no churn: a base rate of 0 and no lift.
    func testRatesWithoutAccountsOrChurn() {
        let none = AtRiskBacktest.tally(asOf: Day(raw: 0), probability: [], churnedNext: [], ids: [])
        XCTAssertEqual(none.topDecile, 0)
        XCTAssertNil(none.baseRate)
        XCTAssertNil(none.topDecileRate)
        XCTAssertNil(none.lift)
        let calm = AtRiskBacktest.tally(
            asOf: Day(raw: 0), probability: [0.3, 0.1], churnedNext: [false, false], ids: ["a", "b"])
        XCTAssertEqual(calm.baseRate, 0)
        XCTAssertEqual(calm.topDecileRate, 0)
        XCTAssertNil(calm.lift)
    }
}
