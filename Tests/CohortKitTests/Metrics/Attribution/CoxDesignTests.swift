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
            dims: [d1, d2], durations: [1, 2, 3, 4], events: [true, true, false, true], who: [0, 1, 2, 3])
        XCTAssertTrue(fit.setAside.isEmpty, "every level has churn")
        XCTAssertEqual(fit.design.starts, [0, 0, 1, 3])
        XCTAssertEqual(fit.design.columns, [0, 0, 1])
        XCTAssertEqual(fit.design.values, [1, 1, 1])
    }

    /// Patterns number the customers' level tuples in order of first appearance among `who`, as
    /// a dictionary of tuples does, on every shape: few levels (most customers share a
    /// pattern), thirty dimensions of thirty-five levels (each customer a pattern of its own),
    /// missing levels (-1), `who` a subset out of order, no customers, no dimensions.
    func testPatternsNumberTuplesInOrderOfFirstAppearance() {
        var rng = SplitMix64(seed: 13)
        for (dimCount, levelCount, n) in [(1, 2, 200), (3, 4, 2000), (30, 35, 3000), (2, 1, 50), (4, 3, 0), (0, 3, 40)]
        {
            let dims = (0..<dimCount).map { d in
                AttributionDimension(
                    name: "d\(d)", levels: (0..<levelCount).map { "l\($0)" },
                    level: (0..<n).map { _ in Int32(rng.below(levelCount + 1)) - 1 }, pooledLevel: nil)
            }
            let who = (0..<n).filter { _ in rng.below(5) > 0 }.shuffled(using: &rng)
            var numbered: [[Int32]: Int32] = [:]
            var expectedLevels: [Int32] = []
            let expectedRows = who.map { i -> Int32 in
                let tuple = dims.map { $0.level[i] }
                if let k = numbered[tuple] { return k }
                numbered[tuple] = Int32(numbered.count)
                expectedLevels += tuple
                return Int32(numbered.count - 1)
            }
            let (rowPattern, levels) = CoxDesign.patterns(dims: dims, who: who)
            let shape = "\(dimCount) dimensions of \(levelCount) levels, \(who.count) customers"
            XCTAssertEqual(rowPattern, expectedRows, shape)
            XCTAssertEqual(levels, expectedLevels, shape)
        }
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

    // MARK: levels nobody has left

    /// Fixtures/golden/cox_set_aside.json (scripts/golden/cox_set_aside_golden.py): lifelines'
    /// fits with and without the customers of a channel nobody has left.
    struct SetAsideGolden: Decodable {
        struct Fit: Decodable {
            var names: [String]
            var coef: [Double]
            var se: [Double]
            var logLikelihood: Double
            var n: Int
        }
        var withoutQuiet: Fit
        var all: Fit
        var channel: [String]
        var plan: [String]
        var durations: [Int32]
        var events: [Bool]

        static func load() throws -> SetAsideGolden {
            try GoldenFixture.load("cox_set_aside")
        }

        func dimension(_ name: String, _ values: [String]) -> AttributionDimension {
            let levels = Array(Set(values)).sorted()
            return AttributionDimension(
                name: name, levels: levels, level: values.map { Int32(levels.firstIndex(of: $0)!) }, pooledLevel: nil)
        }
        var dims: [AttributionDimension] { [dimension("channel", channel), dimension("plan", plan)] }
    }

    /// No "quiet" customer has churned. Its coefficient has no maximum (lifelines, fitting everyone,
    /// warns and stops with it at −19 and a standard error of 2,150); the fit sets those customers
    /// aside, converges, and equals lifelines without them, which is also where lifelines' fit of
    /// everyone takes the other coefficients.
    func testLevelNobodyHasLeftIsSetAsideAndTheRestMatchLifelines() throws {
        let g = try SetAsideGolden.load()
        let who = Array(g.durations.indices)
        let fit = CoxDesign.fit(dims: g.dims, durations: g.durations, events: g.events, who: who)
        let quiet = g.channel.filter { $0 == "quiet" }.count
        XCTAssertEqual(fit.setAside, [SetAsideLevel(dimension: "channel", level: "quiet", customers: quiet)])
        XCTAssertTrue(fit.result.converged, fit.result.message ?? "")
        XCTAssertEqual(fit.result.n, g.withoutQuiet.n)
        XCTAssertEqual(fit.result.n + quiet, g.durations.count)
        XCTAssertEqual(fit.names, g.withoutQuiet.names)
        for (k, term) in fit.result.terms.enumerated() {
            XCTAssertEqual(term.coef, g.withoutQuiet.coef[k], accuracy: 1e-7, term.name)
            XCTAssertEqual(term.se, g.withoutQuiet.se[k], accuracy: 1e-7, term.name)
            // lifelines' fit of everyone: the same coefficients, as the quiet one runs off.
            let j = try XCTUnwrap(g.all.names.firstIndex(of: term.name))
            XCTAssertEqual(term.coef, g.all.coef[j], accuracy: 1e-7, term.name)
        }
        XCTAssertLessThan(try XCTUnwrap(g.all.coef[g.all.names.firstIndex(of: "channel=quiet")!]), -15)
        XCTAssertEqual(fit.result.logLikelihood, g.withoutQuiet.logLikelihood, accuracy: 1e-7)
        XCTAssertEqual(fit.result.logLikelihood, g.all.logLikelihood, accuracy: 1e-6)
        // The quiet customers have no pattern; the others have the patterns of the fit.
        for r in who { XCTAssertEqual(fit.rowPattern[r] < 0, g.channel[r] == "quiet", "row \(r)") }
        XCTAssertNotNil(fit.usableCoefficients(rows: who.count))
        let message = fit.result.message ?? ""
        XCTAssertTrue(message.contains("set aside \(quiet) customers"), message)
        XCTAssertTrue(message.contains("'channel=quiet' (\(quiet) customers)"), message)
        let record = fit.modelRecord(dims: g.dims)
        XCTAssertEqual(record.setAsideLevels, ["channel=quiet"])
        XCTAssertEqual(record.setAsideCustomers, quiet)
        XCTAssertTrue(record.converged)
    }

    /// The level set aside is the one with the most customers, the reference it would have been:
    /// the next largest level becomes the reference.
    func testQuietReferenceLevelHandsTheReferenceOn() {
        // a: 4 customers, none churned; b: 3; c: 2.
        let d = AttributionDimension(
            name: "d", levels: ["a", "b", "c"], level: [0, 0, 0, 0, 1, 1, 1, 2, 2], pooledLevel: nil)
        let fit = CoxDesign.fit(
            dims: [d], durations: [5, 6, 7, 8, 1, 3, 9, 2, 4],
            events: [false, false, false, false, true, true, false, true, false], who: Array(0..<9))
        XCTAssertEqual(fit.setAside, [SetAsideLevel(dimension: "d", level: "a", customers: 4)])
        XCTAssertEqual(fit.terms.map(\.level), ["c"])
        XCTAssertEqual(fit.terms.map(\.reference), ["b"])
        XCTAssertEqual(fit.rowPattern.prefix(4), [-1, -1, -1, -1])
        XCTAssertTrue(fit.result.converged)
        XCTAssertEqual(fit.result.n, 5)
    }

    /// Nothing is set aside when nobody churned at all (the fit says there are no events), when
    /// a dimension has customers in one level only, or when every level has churn.
    func testNothingIsSetAsideWithoutAContrast() {
        let two = AttributionDimension(name: "d", levels: ["a", "b"], level: [0, 0, 1, 1], pooledLevel: nil)
        let one = AttributionDimension(name: "e", levels: ["x", "y"], level: [0, 0, 0, 0], pooledLevel: nil)
        XCTAssertTrue(
            CoxDesign.levelsWithoutChurn(dims: [two], events: [false, false, false, false], who: [0, 1, 2, 3]).isEmpty)
        XCTAssertTrue(
            CoxDesign.levelsWithoutChurn(dims: [one], events: [true, false, false, false], who: [0, 1, 2, 3]).isEmpty)
        XCTAssertTrue(
            CoxDesign.levelsWithoutChurn(dims: [two], events: [true, false, false, true], who: [0, 1, 2, 3]).isEmpty)
        // Customers outside the survival rows do not count: row 1 is customer 3.
        let found = CoxDesign.levelsWithoutChurn(dims: [two], events: [true, false], who: [0, 3])
        XCTAssertEqual(found.map(\.level), [1])
        XCTAssertEqual(found.map(\.customers), [1])
        let fit = CoxDesign.fit(
            dims: [two], durations: [1, 2, 3, 4], events: [false, false, false, false], who: [0, 1, 2, 3])
        XCTAssertTrue(fit.setAside.isEmpty)
        XCTAssertFalse(fit.result.converged)
    }

    /// A customer set aside (pattern −1) counts neither in the column means nor as a pattern:
    /// patterns 0 (x = 1, two customers) and 1 (x = 0, one) give x̄ = 2/3 and, with β = ln 2,
    /// relative hazards 2^(1/3) and 2^(−2/3), whatever the set-aside customer holds.
    func testRelativeHazardsLeaveSetAsideCustomersOut() {
        var x = SparseRows()
        x.append(column: 0, value: 1)
        x.endRow()
        x.endRow()
        let r = AccountsAtRisk.relativeHazards(design: x, columns: 1, rowPattern: [0, -1, 0, 1, -1], beta: [log(2)])
        XCTAssertEqual(r.count, 2)
        XCTAssertEqual(r[0], pow(2, 1.0 / 3), accuracy: 1e-12)
        XCTAssertEqual(r[1], pow(2, -2.0 / 3), accuracy: 1e-12)
    }
}
