import XCTest

@testable import CohortKit

final class BreslowBaselineTests: XCTestCase {
    /// Four customers, one binary covariate x, β = ln 2 (x̄ = 0.5, so r(x=1) = √2, r(x=0) = 1/√2):
    ///   A x=1 churned day 10 · B x=0 churned day 20 · C x=1 censored day 30 · D x=0 censored day 40.
    /// Day 10: risk set all four, Σr = 2√2 + 2/√2 = 3√2, increment 1/(3√2) = 0.2357023.
    /// Day 20: risk set B, C, D, Σr = 1/√2 + √2 + 1/√2 = 2√2, increment 1/(2√2) = 0.3535534.
    /// H0(10) = 0.2357023, H0(20) = 0.5892557, flat after day 20 (no later churn).
    func testHandWorkedBaselineAndNinetyDayProbability() {
        let r = AccountsAtRisk.relativeHazards(
            design: SparseRows(dense: [1, 0], columns: 1), columns: 1, rowPattern: [0, 1, 0, 1], beta: [log(2)])
        XCTAssertEqual(r[0], 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(r[1], 1 / 2.0.squareRoot(), accuracy: 1e-12)
        // No columns: every pattern, with or without a row in the design, has relative hazard 1.
        XCTAssertEqual(
            AccountsAtRisk.relativeHazards(design: SparseRows(), columns: 0, rowPattern: [0, 0], beta: []), [1])
        let b = BreslowBaseline(
            durations: [10, 20, 30, 40], events: [true, true, false, false],
            relativeHazard: [r[0], r[1], r[0], r[1]])
        XCTAssertEqual(b.days, [10, 20])
        XCTAssertEqual(b.cumulativeHazard(atDay: 9), 0)
        XCTAssertEqual(b.cumulativeHazard(atDay: 10), 1 / (3 * 2.0.squareRoot()), accuracy: 1e-12)
        XCTAssertEqual(b.cumulativeHazard(atDay: 19), 0.2357023, accuracy: 1e-7)
        XCTAssertEqual(b.cumulativeHazard(atDay: 20), 0.5892557, accuracy: 1e-7)
        XCTAssertEqual(b.cumulativeHazard(atDay: 10_000), 0.5892557, accuracy: 1e-7)
        // x=1, survived 15 days: (H0(105) − H0(15)) · √2 = (1/(2√2)) · √2 = 1/2; p = 1 − e^−½ = 0.3934693.
        XCTAssertEqual(
            b.churnProbability(survived: 15, horizon: 90, relativeHazard: r[0]), 1 - exp(-0.5), accuracy: 1e-12)
        // x=0, survived 5 days: (1/(3√2) + 1/(2√2)) / √2 = 1/6 + 1/4 = 5/12; p = 1 − e^−5/12 = 0.3407594.
        XCTAssertEqual(b.churnProbability(survived: 5, horizon: 90, relativeHazard: r[1]), 0.3407594, accuracy: 1e-7)
        // Survived past the longest duration: H0 is flat, so the probability is 0.
        XCTAssertEqual(b.churnProbability(survived: 40, horizon: 90, relativeHazard: r[1]), 0)
        // The day of survival itself is not in the window: survived 10 days sees only day 20.
        XCTAssertEqual(
            b.churnProbability(survived: 10, horizon: 90, relativeHazard: r[0]), 1 - exp(-0.5), accuracy: 1e-12)
    }

    /// Ties: two churns on one day add 2 / Σr over the risk set (Breslow, not Efron's split).
    func testTiedChurnsAddTheirCountOverTheRiskSet() {
        let b = BreslowBaseline(durations: [5, 5, 7], events: [true, true, false], relativeHazard: [1, 1, 2])
        XCTAssertEqual(b.cumulativeHazard(atDay: 5), 2.0 / 4.0, accuracy: 1e-15)
    }
}
