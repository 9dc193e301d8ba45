import Foundation
import XCTest

@testable import CohortKit

final class CoxDesignTests: XCTestCase {
    /// d1 levels (x, y, x, y), d2 (p, p, p, q): patterns (x,p) → 0, (y,p) → 1, (x,p) → 0,
    /// (y,q) → 2. References: x (tie 2–2, first name), p (3 customers); columns d1=y, d2=q.
    func testPatternsAndColumnsByHand() {
        let d1 = AttributionDimension(name: "d1", levels: ["x", "y"], level: [0, 1, 0, 1], pooledLevel: nil)
        let d2 = AttributionDimension(name: "d2", levels: ["p", "q"], level: [0, 0, 0, 1], pooledLevel: nil)
        let (rowPattern, levels) = CoxDesign.patterns(dims: [d1, d2], who: [0, 1, 2, 3])
        XCTAssertEqual(rowPattern, [0, 1, 0, 2])
        XCTAssertEqual(levels, [0, 0, 1, 0, 1, 1])
        let c = CoxDesign.columns(dims: [d1, d2], who: [0, 1, 2, 3])
        XCTAssertEqual(c.names, ["d1=y", "d2=q"])
        XCTAssertEqual(c.terms.map(\.reference), ["x", "p"])
        XCTAssertEqual(c.columns.map(\.dim), [0, 1])
        XCTAssertEqual(c.columns.map(\.level), [1, 1])
        // The fit's design by pattern: a 1 in each non-reference level's column, nothing else.
        let fit = CoxDesign.fit(
            dims: [d1, d2], durations: [1, 2, 3, 4], events: [true, false, true, false], who: [0, 1, 2, 3])
        XCTAssertEqual(fit.design.starts, [0, 0, 1, 3])
        XCTAssertEqual(fit.design.columns, [0, 0, 1])
        XCTAssertEqual(fit.design.values, [1, 1, 1])
    }

    /// The design costs patterns × dimensions, not patterns × levels: 3 dimensions of 60 levels
    /// over 3,000 customers hold at most 3 entries per pattern (a dense design would hold 177).
    func testDesignHoldsOneEntryPerDimensionAndPattern() {
        var rng = SplitMix64(seed: 5)
        let n = 3000
        let dims = (0..<3).map { d in
            AttributionDimension(
                name: "d\(d)", levels: (0..<60).map { "l\($0)" }, level: (0..<n).map { _ in Int32(rng.below(60)) },
                pooledLevel: nil)
        }
        let fit = CoxDesign.fit(
            dims: dims, durations: (0..<n).map { _ in Int32(1 + rng.below(100)) },
            events: (0..<n).map { _ in rng.chance(0.5) }, who: Array(0..<n))
        XCTAssertEqual(fit.design.count, fit.patterns)
        XCTAssertEqual(fit.columns.count, 177)
        XCTAssertLessThanOrEqual(fit.design.values.count, 3 * fit.patterns)
        for k in 0..<fit.design.count { XCTAssertLessThanOrEqual(fit.design.row(k).count, 3) }
    }

    /// A (level b) churns on day 1, B (a) on day 2, C (b) and D (a) are censored on day 3.
    /// Reference a (tie, first name); x = 1 for A and C. With u = e^β the partial
    /// likelihood is u / ((2u + 2)(u + 2)); its score 1 − u/(u + 1) − u/(u + 2) = 0 gives
    /// u² = 2: hazard ratio √2, β = ln √2.
    func testFitByHand() throws {
        let d = AttributionDimension(name: "d", levels: ["a", "b"], level: [1, 0, 1, 0], pooledLevel: nil)
        let fit = CoxDesign.fit(
            dims: [d], durations: [1, 2, 3, 3], events: [true, true, false, false], who: [0, 1, 2, 3])
        XCTAssertTrue(fit.result.converged)
        XCTAssertEqual(fit.patterns, 2)
        let terms = fit.termRecords
        XCTAssertEqual(terms.count, 1)
        XCTAssertEqual([terms[0].dimension, terms[0].level, terms[0].reference], ["d", "b", "a"])
        XCTAssertEqual(try XCTUnwrap(terms[0].coef), log(2.0.squareRoot()), accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(terms[0].hazardRatio), 2.0.squareRoot(), accuracy: 1e-6)
        let model = fit.modelRecord(dims: [d])
        XCTAssertEqual(model.n, 4)
        XCTAssertEqual(model.events, 2)
        XCTAssertTrue(model.converged)
        XCTAssertEqual(model.dimensions, ["d"])
        XCTAssertEqual(fit.usableCoefficients(rows: 4)?.count, 1)
        XCTAssertNil(fit.usableCoefficients(rows: 5), "a fit that does not cover the rows scores nothing")
    }
}
