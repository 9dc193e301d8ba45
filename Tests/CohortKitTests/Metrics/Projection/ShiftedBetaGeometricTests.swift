import Foundation
import XCTest

@testable import CohortKit

/// The shifted-beta-geometric retention model, worked from its closed form: retention from t − 1
/// to t is r(t) = (β + t − 1) / (α + β + t − 1), survival S(t) = B(α, β + t) / B(α, β).
final class ShiftedBetaGeometricTests: XCTestCase {
    /// α = 1, β = 2: r(1) = 2 / 3, r(2) = 3 / 4; S(1) = 2/3, S(2) = 2/3 × 3/4 = 1/2, which is the
    /// closed form with B(1, b) = 1 / b: S(t) = β / (β + t) = 2/3, 2/4.
    /// α = 2, β = 3: r(1) = 3 / 5, r(2) = 4 / 6; S(2) = 2/5 = B(2, 5) / B(2, 3) with
    /// B(2, b) = 1 / (b (b + 1)): (1/30) / (1/12).
    func testRetentionAndSurvivalAfterOneAndTwoPeriods() {
        let a = ShiftedBetaGeometric(alpha: 1, beta: 2)
        XCTAssertEqual(a.retention(1), 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(a.retention(2), 0.75, accuracy: 1e-15)
        XCTAssertEqual(a.survival(0), 1)
        XCTAssertEqual(a.survival(1), 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(a.survival(2), 0.5, accuracy: 1e-15)
        let b = ShiftedBetaGeometric(alpha: 2, beta: 3)
        XCTAssertEqual(b.retention(1), 0.6, accuracy: 1e-15)
        XCTAssertEqual(b.retention(2), 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(b.survival(2), 0.4, accuracy: 1e-15)
    }

    /// α = 1, β = 2, 10 at risk at t = 1 of whom 6 survive, then 3 of those 6:
    /// 6 ln(2/3) + 4 ln(1/3) + 3 ln(3/4) + 3 ln(1/4); a transition with nobody at risk adds nothing,
    /// and more survivors than customers at risk count as all of them.
    func testLogLikelihoodByHand() {
        let model = ShiftedBetaGeometric(alpha: 1, beta: 2)
        let data: [ShiftedBetaGeometric.Transition] = [
            .init(t: 1, atRisk: 10, survived: 6), .init(t: 2, atRisk: 6, survived: 3),
            .init(t: 3, atRisk: 0, survived: 0),
        ]
        let expected = 6 * log(2.0 / 3) + 4 * log(1.0 / 3) + 3 * log(0.75) + 3 * log(0.25)
        XCTAssertEqual(model.logLikelihood(data), expected, accuracy: 1e-12)
        XCTAssertEqual(ShiftedBetaGeometric.Transition(t: 1, atRisk: 5, survived: 7).survived, 5)
    }

    /// One transition, 6 of 10 survive: the likelihood is highest where r(1) = β / (α + β) = 0.6
    /// (any α, β in that ratio), so the fit's first-period retention is 0.6.
    func testFitMatchesASingleObservedRetention() throws {
        let fit = try XCTUnwrap(ShiftedBetaGeometric.fit([.init(t: 1, atRisk: 10, survived: 6)]))
        XCTAssertEqual(fit.retention(1), 0.6, accuracy: 1e-4)
        XCTAssertNil(ShiftedBetaGeometric.fit([.init(t: 1, atRisk: 0, survived: 0)]))
    }

    /// Nobody churned: the likelihood Σ n·log r(t) grows without bound as α → 0, so the fit is that
    /// limit, every retention exactly 1 (a bounded search stops at α = 1e-3 and gives 0.9999999,
    /// which a business that never lost a customer would see as "projected NRR below 100%").
    func testNoChurnAtAllFitsRetentionOfExactlyOne() throws {
        let none = try XCTUnwrap(
            ShiftedBetaGeometric.fit([.init(t: 1, atRisk: 1, survived: 1), .init(t: 2, atRisk: 1, survived: 1)]))
        for t in 1...36 { XCTAssertEqual(none.retention(t), 1, "t = \(t)") }
        XCTAssertEqual(none.survival(36), 1)
        // One churn anywhere: an ordinary fit below 1.
        let one = try XCTUnwrap(
            ShiftedBetaGeometric.fit([.init(t: 1, atRisk: 10, survived: 10), .init(t: 2, atRisk: 10, survived: 9)]))
        XCTAssertLessThan(one.retention(3), 1)
        XCTAssertGreaterThan(one.alpha, 0)
    }

    func testShiftedBetaGeometricRecoversItsParameters() {
        let truth = ShiftedBetaGeometric(alpha: 1.2, beta: 3.5)
        var data: [ShiftedBetaGeometric.Transition] = []
        var alive = 1_000_000.0
        for t in 1...12 {
            let next = alive * truth.retention(t)
            data.append(.init(t: t, atRisk: alive, survived: next))
            alive = next
        }
        let fit = ShiftedBetaGeometric.fit(data)
        XCTAssertEqual(fit?.alpha ?? 0, 1.2, accuracy: 1.2 * 1e-3)
        XCTAssertEqual(fit?.beta ?? 0, 3.5, accuracy: 3.5 * 1e-3)
        XCTAssertEqual(truth.survival(2), (3.5 / 4.7) * (4.5 / 5.7), accuracy: 1e-15)
        XCTAssertNil(ShiftedBetaGeometric.fit([]))
    }
}
