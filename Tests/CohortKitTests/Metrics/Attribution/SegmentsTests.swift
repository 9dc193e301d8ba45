import Foundation
import XCTest

@testable import CohortKit

final class SegmentsTests: XCTestCase {
    /// Level a: churn on day 10, censored on day 400; level b: churns on days 20 and 30.
    /// Churned MRR over 12 months: 100 (a's first), 300 (b's first); total 400.
    ///
    /// Kaplan–Meier: a is 1/2 from day 10 on (early and 1-year churn 0.5); b is 1/2 at day 20 and 0
    /// at day 30 (churn 1.0). All four: 3/4 at 10, 3/4·2/3 = 1/2 at 20, 1/2·1/2 = 1/4 at 30, so
    /// 1-year churn 0.75 and relative risks 0.5/0.75 = 2/3 and 1/0.75 = 4/3.
    ///
    /// Log-rank (a vs b), at each churn day (n at risk, d churns, n_a, o_a):
    /// day 10 (4, 1, 2, 1): E_a = 1/2, V = 2·2·1·3/(16·3) = 1/4;
    /// day 20 (3, 1, 1, 0): E_a = 1/3, V = 1·2·1·2/(9·2) = 2/9;
    /// day 30 (2, 1, 1, 0): E_a = 1/2, V = 1·1·1·1/(4·1) = 1/4.
    /// O − E = 1 − 4/3 = −1/3, V = 13/18, χ² = (1/9)/(13/18) = 2/13, p = erfc(√(χ²/2)).
    /// One pair: Holm leaves its p-value as it is.
    func testSegmentsAndPairwiseByHand() throws {
        let d = AttributionDimension(name: "plan", levels: ["a", "b"], level: [0, 0, 1, 1], pooledLevel: nil)
        let segments = try Segments(
            durations: [10, 400, 20, 30], events: [true, false, true, true], who: [0, 1, 2, 3],
            churnedMRR12m: [100, 0, 300, 0], earlyChurnDays: 90, confidence: 0.95, maxComparedValues: 20)
        let rows = try segments.rows(d)
        XCTAssertEqual(rows.segments.map(\.value), ["a", "b"])
        let a = rows.segments[0]
        let b = rows.segments[1]
        XCTAssertEqual(a.customers, 2)
        XCTAssertEqual(a.churned, 1)
        XCTAssertEqual(b.churned, 2)
        XCTAssertEqual(try XCTUnwrap(a.churnProbEarly), 0.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(a.churnProb1y), 0.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(b.churnProb1y), 1.0, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(a.relativeRisk), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(b.relativeRisk), 4.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(a.churnedMRR12mMinor, 100)
        XCTAssertEqual(b.churnedMRR12mMinor, 300)
        XCTAssertEqual(try XCTUnwrap(a.churnedMRRShare), 0.25, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(b.churnedMRRShare), 0.75, accuracy: 1e-12)
        XCTAssertFalse(a.pooled)
        let p = erfc(sqrt((2.0 / 13) / 2))
        XCTAssertEqual(try XCTUnwrap(a.logrankPValue), p, accuracy: 1e-9)
        XCTAssertEqual(b.logrankPValue, a.logrankPValue, "the dimension's test is on every row")
        XCTAssertEqual(rows.pairwise.count, 1)
        let pair = rows.pairwise[0]
        XCTAssertEqual([pair.dimension, pair.a, pair.b], ["plan", "a", "b"])
        XCTAssertEqual(try XCTUnwrap(pair.statistic), 2.0 / 13, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(pair.pValue), p, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(pair.pHolm), p, accuracy: 1e-9)
    }

    /// Holm over the pairs with a p-value (0.01 and 0.04: 2 × 0.01 = 0.02, max(0.02, 1 × 0.04) =
    /// 0.04); the pair without one gets none and does not count.
    func testPairwiseHolmSkipsPairsWithoutPValue() {
        let d = AttributionDimension(name: "plan", levels: ["x", "y", "z"], level: [], pooledLevel: 2)
        let rows = Segments.pairwise(
            d,
            [
                (0, 1, LogRankResult(statistic: 6.6, df: 1, pValue: 0.01)),
                (0, 2, LogRankResult(statistic: nil, df: 0, pValue: nil)),
                (1, 2, LogRankResult(statistic: 4.2, df: 1, pValue: 0.04)),
            ])
        XCTAssertEqual(rows.map(\.b), ["y", "z", "z"])
        XCTAssertEqual(rows[0].pHolm ?? .nan, 0.02, accuracy: 1e-12)
        XCTAssertNil(rows[1].pHolm)
        XCTAssertEqual(rows[2].pHolm ?? .nan, 0.04, accuracy: 1e-12)
    }

    /// A level without customers in the survival rows has no segment row; the pooled level says so.
    func testEmptyLevelHasNoRowAndPooledIsMarked() throws {
        let d = AttributionDimension(
            name: "plan", levels: ["a", "b", "(other)"], level: [0, 2, 0, 2], pooledLevel: 2)
        let segments = try Segments(
            durations: [5, 6, 7, 8], events: [true, false, false, true], who: [0, 1, 2, 3],
            churnedMRR12m: [0, 0, 0, 0], earlyChurnDays: 90, confidence: 0.95, maxComparedValues: 20)
        let rows = try segments.rows(d)
        XCTAssertEqual(rows.segments.map(\.value), ["a", "(other)"])
        XCTAssertEqual(rows.segments.map(\.pooled), [false, true])
        XCTAssertNil(rows.segments[0].churnedMRRShare, "no churned MRR at all: no share")
    }
}
