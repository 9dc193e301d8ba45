import Foundation
import XCTest

@testable import CohortKit

final class RetentionProjectionTests: XCTestCase {
    let m = { (s: String) in Month(iso: s) ?? Month(raw: 0) }

    /// Two cohorts of 10. A (2024-01) is seen to offset 2: active 10, 8, 6, MRR 1000, 900, 700.
    /// B (2024-02) to offset 1: active 10, 9, MRR 1000, 950.
    ///   f(0) = (8 + 9) / 20 = 0.85, f(1) = 6 / 8 = 0.75 (A alone).
    ///   B: O = 0.9, E = 0.85, raw h = ln 0.9 / ln 0.85 = 0.64827; expected churners 10 × 0.15 = 1.5,
    ///   credibility 1.5 / 11.5, h = 1 + (1.5 / 11.5)(0.64827 − 1) = 0.954126.
    ///   logo(2) = 0.9 × 0.75^h = 0.683967.
    ///   revenue(2) = 0.95 × (700 / 900) × 0.75^(h − 1) = 0.748705.
    ///   σ²(0) = variance of ln(8.5/10.5), ln(9.5/10.5) = 0.0061863; f(1) has one cohort and
    ///   borrows it; 95%: 0.683967 × exp(∓1.959964 × √0.0061863) = 0.586259 … 0.797960.
    /// (Computed with a few lines of Python from these formulas, independently of the Swift code.)
    func testHandWorkedChainLadder() {
        let curves = [
            RetentionProjection.Curve(
                cohort: m("2024-01"), customers: 10, active: [10, 8, 6], mrrStart: 1000, mrr: [1000, 900, 700]),
            RetentionProjection.Curve(
                cohort: m("2024-02"), customers: 10, active: [10, 9], mrrStart: 1000, mrr: [1000, 950]),
        ]
        let cells = RetentionProjection.project(curves, maxOffset: 2, confidence: 0.95)
        XCTAssertEqual(cells.count, 1)
        let c = cells[0]
        XCTAssertEqual(c.cohort, m("2024-02"))
        XCTAssertEqual(c.offset, 2)
        XCTAssertEqual(c.logo, 0.6839671636806717, accuracy: 1e-12)
        XCTAssertEqual(c.logoLower, 0.5862591205556182, accuracy: 1e-12)
        XCTAssertEqual(c.logoUpper, 0.7979595789486769, accuracy: 1e-12)
        XCTAssertEqual(c.revenue ?? 0, 0.7487047964570315, accuracy: 1e-12)
        XCTAssertEqual(c.method, .chainLadder)
    }

    /// Deterministic expected counts: older cohorts lose 5% a month, the planted young cohort 10%.
    /// Its projected cells sit below those of an equally young cohort that churns like the pool.
    func testCohortWithDoubledHazardProjectsBelowThePool() {
        func curve(_ month: String, age: Int, churn: Double) -> RetentionProjection.Curve {
            let active = (0...age).map { Int((1000 * pow(1 - churn, Double($0))).rounded()) }
            return RetentionProjection.Curve(
                cohort: m(month), customers: 1000, active: active, mrrStart: 100_000,
                mrr: active.map { Int64($0) * 100 })
        }
        let older = (1...12).map { curve(String(format: "2023-%02d", $0), age: 24 - $0, churn: 0.05) }
        let planted = RetentionProjection.project(
            older + [curve("2024-06", age: 6, churn: 0.10)], maxOffset: 12, confidence: 0.95)
        let control = RetentionProjection.project(
            older + [curve("2024-06", age: 6, churn: 0.05)], maxOffset: 12, confidence: 0.95)
        let p = planted.filter { $0.cohort == m("2024-06") }
        let c = control.filter { $0.cohort == m("2024-06") }
        XCTAssertEqual(p.map(\.offset), Array(7...12))
        for (a, b) in zip(p, c) {
            XCTAssertLessThan(a.logo, b.logo, "offset \(a.offset)")
            XCTAssertLessThan(
                a.logoUpper, b.logo,
                "offset \(a.offset): the planted cohort's interval stays below the pool's projection")
        }
        // The control cohort continues at the pool's 5% a month.
        XCTAssertEqual(c.last?.logo ?? 0, pow(0.95, 12), accuracy: 2e-3)
    }

    /// With 6 months of history and 12 offsets wanted, links past offset 5 come from the sBG fit:
    /// the oldest cohort's cells mix observed and fitted links, and the fitted retention keeps
    /// rising with age as sBG predicts.
    func testAgesNoCohortHasReachedUseTheSBGFit() {
        let truth = ShiftedBetaGeometric(alpha: 1, beta: 4)
        let curves = (0..<6).map { i -> RetentionProjection.Curve in
            let age = 5 - i
            let active = (0...age).map { Int((10_000 * truth.survival($0)).rounded()) }
            return RetentionProjection.Curve(
                cohort: m("2024-07") + i, customers: 10_000, active: active, mrrStart: 1_000_000,
                mrr: active.map { Int64($0) * 100 })
        }
        let cells = RetentionProjection.project(curves, maxOffset: 12, confidence: 0.95)
        let oldest = cells.filter { $0.cohort == m("2024-07") }
        XCTAssertEqual(oldest.map(\.offset), Array(6...12))
        XCTAssertTrue(oldest.allSatisfy { $0.method == .sbg }, "\(oldest.map(\.method))")
        XCTAssertEqual(cells.first { $0.cohort == m("2024-12") && $0.offset == 12 }?.method, .chainLadderSBG)
        XCTAssertEqual(oldest.last?.logo ?? 0, truth.survival(12), accuracy: 2e-3)
        let links = RetentionProjection.links(curves, maxOffset: 12)
        XCTAssertEqual(links.observed, Array(repeating: true, count: 5) + Array(repeating: false, count: 7))
        XCTAssertLessThan(links.logo[6], links.logo[10])
    }

    /// One customer, a year and more without churn: the ages past the triangle come from the sBG
    /// fit of no churn, so the projected cells and the 12-month outlook keep exactly 100%.
    func testACohortThatNeverChurnedProjectsExactlyOne() throws {
        let curve = RetentionProjection.Curve(
            cohort: m("2024-01"), customers: 1, active: Array(repeating: 1, count: 12), mrrStart: 1_000,
            mrr: Array(repeating: 1_000, count: 12))
        let cells = RetentionProjection.project([curve], maxOffset: 24, confidence: 0.95)
        XCTAssertFalse(cells.isEmpty)
        for c in cells {
            XCTAssertEqual(c.logo, 1, "offset \(c.offset)")
            XCTAssertEqual(c.revenue, 1, "offset \(c.offset)")
        }
        let links = RetentionProjection.links([curve], maxOffset: 24)
        let o = try XCTUnwrap(
            RetentionProjection.outlook([.init(age: 11, customers: 1, mrr: 1_000)], links: links))
        XCTAssertEqual(o.logo, 1)
        XCTAssertEqual(o.revenue, 1)
    }

    func testNoProjectionOnceEveryOffsetIsObservedOrForAnEmptyCohort() {
        let full = RetentionProjection.Curve(
            cohort: m("2024-01"), customers: 5, active: [5, 4, 4], mrrStart: 50, mrr: [50, 40, 40])
        XCTAssertTrue(RetentionProjection.project([full], maxOffset: 2, confidence: 0.9).isEmpty)
        let empty = RetentionProjection.Curve(cohort: m("2024-02"), customers: 0, active: [0], mrrStart: 0, mrr: [0])
        XCTAssertTrue(RetentionProjection.project([full, empty], maxOffset: 2, confidence: 0.9).isEmpty)
    }
}

final class RetentionOutlookTests: XCTestCase {
    /// Links: logo 0.9 then 0.8 (tail past the triangle: their mean of the last three = 0.85),
    /// revenue 1.0 then 1.1 (tail 1.05). Horizon 2:
    ///   a cohort of 10 at age 0, MRR 1,000: logo 0.9 × 0.8 = 0.72, revenue 1.0 × 1.1 = 1.1;
    ///   a cohort of 30 at age 5 (past the triangle), MRR 3,000: logo 0.85² = 0.7225, revenue 1.05² = 1.1025.
    ///   Kept: (10 × 0.72 + 30 × 0.7225) / 40 = 0.721875; NRR: (1,100 + 3,307.5) / 4,000 = 1.101875.
    func testHandWorkedOutlook() throws {
        var links = RetentionProjection.Links(
            logo: [0.9, 0.8], revenue: [1.0, 1.1], logoVariance: [0, 0], revenueVariance: [0, 0],
            observed: [true, true], sbg: nil)
        links.tailLogo = 0.85
        links.tailRevenue = 1.05
        let base = [
            RetentionProjection.BaseCohort(age: 0, customers: 10, mrr: 1_000),
            RetentionProjection.BaseCohort(age: 5, customers: 30, mrr: 3_000),
        ]
        let o = try XCTUnwrap(RetentionProjection.outlook(base, links: links, horizon: 2))
        XCTAssertEqual(o.logo, 0.721875, accuracy: 1e-12)
        XCTAssertEqual(o.revenue ?? 0, 1.101875, accuracy: 1e-12)
        XCTAssertNil(RetentionProjection.outlook([], links: links))
    }

    func testTailLinksAreTheMeanOfTheLastThreeObserved() {
        let curves = [
            RetentionProjection.Curve(
                cohort: Month(year: 2024, month: 1), customers: 100, active: [100, 90, 81, 73, 66], mrrStart: 10_000,
                mrr: [10_000, 9_000, 8_100, 7_300, 6_600])
        ]
        let links = RetentionProjection.links(curves, maxOffset: 4)
        XCTAssertEqual(links.tailLogo, (81.0 / 90 + 73.0 / 81 + 66.0 / 73) / 3, accuracy: 1e-12)
        XCTAssertEqual(links.link(10).logo, links.tailLogo)
    }
}
