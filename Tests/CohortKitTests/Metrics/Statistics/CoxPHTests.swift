import Foundation
import XCTest

@testable import CohortKit

/// The golden Cox fixture: a design matrix and what lifelines' CoxPHFitter made of it.
///
/// Produced by `scripts/golden/cox_golden.py` (command and versions at its top).
struct CoxGolden: Decodable {
    struct Expected: Decodable {
        let coef: [Double]
        let se: [Double]
        let hazardRatio: [Double]
        let hrLower95: [Double]
        let hrUpper95: [Double]
        let z: [Double]
        let p: [Double]
        let logLikelihood: Double
        let concordance: Double
        let n: Int
        let events: Int
    }

    let names: [String]
    let expected: Expected
    let durations: [Int32]
    let events: [Bool]
    let covariates: [[Double]]

    var input: CoxInput {
        CoxInput(durations: durations, events: events, covariates: covariates.flatMap { $0 }, names: names)
    }

    /// Loads `Fixtures/golden/cox.json` from the test bundle, or beside this source file.
    static func load() throws -> CoxGolden {
        try GoldenFixture.load("cox")
    }
}

/// Asserts `actual` is within `tolerance` of `expected` relative to `expected` (for p-values, whose
/// absolute size says nothing when they are tiny).
func assertRelativelyClose(
    _ actual: Double?, _ expected: Double, tolerance: Double = 1e-6, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    guard let actual else {
        XCTFail("nil, expected \(expected) \(message)", file: file, line: line)
        return
    }
    let error = abs(actual - expected)
    if error > tolerance * abs(expected) && error > 1e-300 {
        XCTFail("\(actual) != \(expected) (relative error \(error / abs(expected))) \(message)", file: file, line: line)
    }
}

final class CoxPHTests: XCTestCase {
    // MARK: against lifelines

    func testMatchesLifelinesEfron() throws {
        let golden = try CoxGolden.load()
        XCTAssertGreaterThanOrEqual(golden.durations.count, 500)
        XCTAssertGreaterThan(
            golden.durations.count - Set(golden.durations).count, 100, "the fixture has tied durations")
        let result = CoxPH.fit(golden.input)
        let e = golden.expected
        XCTAssertTrue(result.converged, result.message ?? "")
        XCTAssertNil(result.message)
        XCTAssertEqual(result.dropped, [])
        XCTAssertEqual(result.n, e.n)
        XCTAssertEqual(result.events, e.events)
        XCTAssertEqual(result.terms.map(\.name), golden.names)
        for (k, term) in result.terms.enumerated() where k < golden.names.count {
            let name = term.name
            assertClose(term.coef, e.coef[k], tolerance: 1e-6, "coef \(name)")
            assertClose(term.se, e.se[k], tolerance: 1e-6, "se \(name)")
            assertClose(term.hazardRatio, e.hazardRatio[k], tolerance: 1e-6, "HR \(name)")
            assertClose(term.ciLower, e.hrLower95[k], tolerance: 1e-6, "HR lower \(name)")
            assertClose(term.ciUpper, e.hrUpper95[k], tolerance: 1e-6, "HR upper \(name)")
            assertClose(term.z, e.z[k], tolerance: 1e-6, "z \(name)")
            assertRelativelyClose(term.pValue, e.p[k], tolerance: 1e-6, "p \(name)")
        }
        assertClose(result.logLikelihood, e.logLikelihood, tolerance: 1e-6, "log-likelihood")
        assertClose(result.concordance, e.concordance, tolerance: 1e-6, "concordance")
    }

    /// Rows reordered and the fit is the same: the tie handling does not depend on input order.
    func testRowOrderDoesNotMatter() throws {
        let golden = try CoxGolden.load()
        let n = golden.durations.count
        let order = (0..<n).map { ($0 * 389) % n }  // 389 is prime to 800: a permutation
        XCTAssertEqual(Set(order).count, n)
        let shuffled = CoxInput(
            durations: order.map { golden.durations[$0] }, events: order.map { golden.events[$0] },
            covariates: order.flatMap { golden.covariates[$0] }, names: golden.names)
        let a = CoxPH.fit(golden.input)
        let b = CoxPH.fit(shuffled)
        for (x, y) in zip(a.terms, b.terms) {
            assertClose(y.coef, x.coef, tolerance: 1e-9, x.name)
            assertClose(y.se, x.se, tolerance: 1e-9, x.name)
        }
        assertClose(b.logLikelihood, a.logLikelihood, tolerance: 1e-9)
        assertClose(b.concordance, a.concordance, tolerance: 1e-12)
    }

    /// One binary covariate, no ties: durations 1..4 all events, x = [1, 0, 1, 0].
    /// ℓ(β) = β − log(2e^β + 2) + 0 − log(e^β + 2) + β − log(e^β + 1) + 0 − 0; at β = 0 this is
    /// −log 4 − log 3 − log 2 = −log 24, and the fit must not fall below it.
    func testTinyLogLikelihoodAtZeroIsTheFloor() {
        let input = CoxInput(
            durations: [1, 2, 3, 4], events: [true, true, true, true], covariates: [1, 0, 1, 0], names: ["x"])
        let result = CoxPH.fit(input)
        XCTAssertTrue(result.converged)
        XCTAssertGreaterThanOrEqual(result.logLikelihood, -log(24.0))
        // ℓ'(β) = 2 − 2e^β/(2e^β+2) − e^β/(e^β+2) − e^β/(e^β+1) = 0 at the fitted β.
        let b = result.terms.first?.coef ?? .nan
        let eb = exp(b)
        XCTAssertEqual(2 - 2 * eb / (2 * eb + 2) - eb / (eb + 2) - eb / (eb + 1), 0, accuracy: 1e-9)
    }

    // MARK: edge cases: clear messages, no traps

    /// A level in which nobody churns: its coefficient heads to −∞. The fit must say so, name the
    /// level, not claim convergence, and leave the other term usable.
    func testLevelWithNoEvents() {
        var durations: [Int32] = []
        var events: [Bool] = []
        var x: [Double] = []
        for i in 0..<60 {
            let level = i % 3  // 0 reference, 1 = "b", 2 = "c" never churns
            durations.append(Int32(10 + (i * 7) % 50))
            events.append(level != 2 && i % 5 != 0)
            x.append(level == 1 ? 1 : 0)
            x.append(level == 2 ? 1 : 0)
        }
        let result = CoxPH.fit(CoxInput(durations: durations, events: events, covariates: x, names: ["d=b", "d=c"]))
        XCTAssertFalse(result.converged)
        let message = result.message ?? ""
        XCTAssertTrue(message.contains("'d=c'"), message)
        XCTAssertTrue(message.contains("-∞"), message)
        XCTAssertFalse(message.contains("'d=b'"), message)
        guard let c = result.terms.first(where: { $0.name == "d=c" }),
            let b = result.terms.first(where: { $0.name == "d=b" })
        else {
            return XCTFail("both terms are reported: \(result.terms.map(\.name))")
        }
        XCTAssertLessThan(c.coef, -5, "the no-event level's coefficient has run far negative")
        XCTAssertTrue(c.se > 100 || !c.se.isFinite, "its standard error is flagged huge, got \(c.se)")
        XCTAssertTrue(b.se.isFinite && b.se < 1, "the estimable term keeps a usable SE, got \(b.se)")
        XCTAssertTrue(result.logLikelihood.isFinite)
    }

    func testAllCensored() {
        let input = CoxInput(
            durations: [5, 6, 7, 8], events: [false, false, false, false], covariates: [1, 0, 1, 0], names: ["x"])
        let result = CoxPH.fit(input)
        XCTAssertFalse(result.converged)
        XCTAssertEqual(result.events, 0)
        XCTAssertEqual(result.terms, [])
        XCTAssertTrue(result.message?.contains("no events") ?? false, result.message ?? "nil")
        XCTAssertTrue(result.concordance.isNaN)
    }

    /// x2 duplicates x1: x2 is dropped, naming x1, and the fit equals the fit on x1 alone.
    func testCollinearPairIsDroppedWithReason() {
        var durations: [Int32] = []
        var events: [Bool] = []
        var x: [Double] = []
        var single: [Double] = []
        for i in 0..<40 {
            durations.append(Int32(3 + (i * 11) % 37))
            events.append(i % 4 != 0)
            let v: Double = i % 3 == 0 ? 1 : 0
            let w: Double = i % 2 == 0 ? 1 : 0
            x += [v, w, v]
            single += [v, w]
        }
        let result = CoxPH.fit(
            CoxInput(durations: durations, events: events, covariates: x, names: ["a", "b", "a_copy"]))
        XCTAssertEqual(result.droppedTerms, ["a_copy"])
        XCTAssertEqual(result.dropped.first?.reason, "collinear with a")
        XCTAssertTrue(result.message?.contains("'a_copy' (collinear with a)") ?? false, result.message ?? "nil")
        XCTAssertTrue(result.converged)
        let reference = CoxPH.fit(
            CoxInput(durations: durations, events: events, covariates: single, names: ["a", "b"]))
        XCTAssertEqual(result.terms.map(\.name), ["a", "b"])
        for (t, r) in zip(result.terms, reference.terms) {
            assertClose(t.coef, r.coef, tolerance: 1e-10, t.name)
            assertClose(t.se, r.se, tolerance: 1e-10, t.name)
        }
    }

    /// One-hot with every level kept (no reference): the last level is the others' complement.
    func testFullOneHotDropsTheComplementLevel() {
        var durations: [Int32] = []
        var events: [Bool] = []
        var x: [Double] = []
        for i in 0..<45 {
            durations.append(Int32(1 + (i * 13) % 29))
            events.append(i % 3 != 1)
            let level = i % 3
            x += (0..<3).map { $0 == level ? 1 : 0 }
        }
        let result = CoxPH.fit(
            CoxInput(durations: durations, events: events, covariates: x, names: ["g=a", "g=b", "g=c"]))
        XCTAssertEqual(result.droppedTerms, ["g=c"])
        XCTAssertTrue(result.dropped.first?.reason.hasPrefix("collinear with") ?? false)
        XCTAssertEqual(result.terms.count, 2)
    }

    /// A single-valued dimension contributes a constant column: dropped as constant, no terms; and
    /// with nothing left to fit the result is the β = 0 log-likelihood, flagged in the message.
    func testConstantColumnGivesNoTerms() {
        let durations: [Int32] = [1, 2, 2, 3, 4]
        let events = [true, true, true, false, true]
        let result = CoxPH.fit(
            CoxInput(durations: durations, events: events, covariates: [1, 1, 1, 1, 1], names: ["only=x"]))
        XCTAssertEqual(result.terms, [])
        XCTAssertEqual(result.dropped, [CoxDroppedTerm(name: "only=x", collinearWith: nil)])
        XCTAssertEqual(result.dropped.first?.reason, "constant: the same value in every row")
        XCTAssertTrue(result.message?.contains("no covariates to fit") ?? false, result.message ?? "nil")
        // Efron at β = 0 by hand: t=1 risk 5: −log 5; t=2 two events of risk 4: −log 4 − log(4 − 1);
        // t=4 risk 1: −log 1. Total −log 60.
        assertClose(result.logLikelihood, -log(60.0), tolerance: 1e-12)
        assertClose(result.concordance, 0.5, tolerance: 1e-12)

        let empty = CoxPH.fit(CoxInput(durations: durations, events: events, covariates: [], names: []))
        XCTAssertEqual(empty.terms, [])
        assertClose(empty.logLikelihood, -log(60.0), tolerance: 1e-12)
    }

    func testNonConvergenceIsReported() throws {
        let golden = try CoxGolden.load()
        let result = CoxPH.fit(golden.input, maxIterations: 1)
        XCTAssertFalse(result.converged)
        XCTAssertEqual(result.iterations, 1)
        XCTAssertEqual(result.message, "no convergence after 1 iterations")
        XCTAssertEqual(result.terms.count, golden.names.count, "the last iterate is still reported")
    }

    func testBadInputIsAMessageNotATrap() {
        let mismatch = CoxPH.fit(CoxInput(durations: [1, 2], events: [true], covariates: [0, 1], names: ["x"]))
        XCTAssertTrue(mismatch.message?.hasPrefix("input shape mismatch") ?? false)
        let nonFinite = CoxPH.fit(
            CoxInput(durations: [1, 2], events: [true, true], covariates: [0, .nan], names: ["x"]))
        XCTAssertEqual(nonFinite.message, "covariate 'x' is not finite in row 1")
        let none = CoxPH.fit(CoxInput(durations: [], events: [], covariates: [], names: ["x"]))
        XCTAssertEqual(none.message, "no subjects: nothing to fit")
        // Sparse patterns: a column out of range or out of order, a pattern that does not exist,
        // and a value that is not finite are messages too.
        var outOfRange = SparseRows()
        outOfRange.append(column: 1, value: 1)
        outOfRange.endRow()
        var unordered = SparseRows()
        unordered.append(column: 1, value: 1)
        unordered.append(column: 0, value: 1)
        unordered.endRow()
        for (rows, names) in [(outOfRange, ["x"]), (unordered, ["x", "y"])] {
            let fit = CoxPH.fit(
                CoxInput(
                    durations: [1, 2], events: [true, true], rowPattern: [0, 0], sparsePatterns: rows, names: names))
            XCTAssertTrue(
                fit.message?.hasPrefix("input shape mismatch: the sparse patterns: row 0") ?? false, fit.message ?? "")
        }
        let two = SparseRows(dense: [0, 1], columns: 1)
        let missing = CoxPH.fit(
            CoxInput(durations: [1, 2], events: [true, true], rowPattern: [0, 2], sparsePatterns: two, names: ["x"]))
        XCTAssertTrue(missing.message?.hasPrefix("input shape mismatch") ?? false)
        let nan = SparseRows(dense: [1, .nan], columns: 1)
        let sparseNonFinite = CoxPH.fit(
            CoxInput(
                durations: [1, 2, 3], events: [true, true, true], rowPattern: [0, 0, 1], sparsePatterns: nan,
                names: ["x"]))
        XCTAssertEqual(sparseNonFinite.message, "covariate 'x' is not finite in row 2")
    }

    /// A column most subjects hold a non-zero in whose mean is exactly 0 (a balanced ±1 code)
    /// counts once in the screen's cross-products: a second column correlated 0.9 with it is
    /// kept (counting the first twice made the correlation look above 1, so it was dropped as
    /// collinear), and the fit matches the same design with the first column shifted to 0/2.
    func testABalancedPlusMinusOneColumnIsScreenedOnce() throws {
        var rng = SplitMix64(seed: 11)
        let n = 4000
        var durations: [Int32] = []
        var events: [Bool] = []
        var x: [Double] = []
        var shifted: [Double] = []
        for i in 0..<n {
            let a: Double = i % 2 == 0 ? 1 : -1
            let c = rng.chance(0.05) ? -a : a
            durations.append(Int32(1 + rng.below(60)))
            events.append(rng.chance(a > 0 ? 0.6 : 0.4))
            x += [a, c]
            shifted += [a + 1, c]
        }
        let fit = CoxPH.fit(CoxInput(durations: durations, events: events, covariates: x, names: ["a", "c"]))
        XCTAssertEqual(fit.dropped, [])
        XCTAssertEqual(fit.terms.map(\.name), ["a", "c"])
        XCTAssertTrue(fit.converged, fit.message ?? "")
        let moved = CoxPH.fit(CoxInput(durations: durations, events: events, covariates: shifted, names: ["a", "c"]))
        for (u, v) in zip(fit.terms, moved.terms) {
            XCTAssertEqual(u.coef, v.coef, accuracy: 1e-9 * max(1, abs(v.coef)), u.name)
            XCTAssertEqual(u.se, v.se, accuracy: 1e-9 * v.se, u.name)
        }
    }
}

/// Collapsing identical subjects (same duration, event and covariates) into weighted rows.
final class CoxPHCollapseTests: XCTestCase {
    /// A seeded design with many ties: three categorical dimensions one-hot encoded, a covariate
    /// with a few non-binary values, durations in 1...`days`.
    static func randomDesign(seed: UInt64, n: Int, days: Int) -> CoxInput {
        var rng = SplitMix64(seed: seed)
        var durations: [Int32] = []
        var events: [Bool] = []
        var x: [Double] = []
        let names = ["a=1", "a=2", "b=1", "b=2", "b=3", "c=1", "score"]
        for _ in 0..<n {
            let a = rng.below(3)
            let b = rng.below(4)
            let c = rng.below(2)
            let score = Double(rng.below(4)) * 0.5
            let logRisk: Double = 0.4 * Double(a) - 0.3 * Double(b) + 0.5 * Double(c) + 0.2 * score
            let scaled: Double = -log(1 - rng.unit()) * Double(days) / (2 * exp(logRisk))
            let t = min(days, 1 + Int(scaled))
            durations.append(Int32(t))
            events.append(t < days && rng.chance(0.75))
            let row: [Double] = [
                a == 1 ? 1 : 0, a == 2 ? 1 : 0, b == 1 ? 1 : 0, b == 2 ? 1 : 0, b == 3 ? 1 : 0, Double(c), score,
            ]
            x += row
        }
        return CoxInput(durations: durations, events: events, covariates: x, names: names)
    }

    func assertSameFit(
        _ a: CoxResult, _ b: CoxResult, _ label: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(a.terms.map(\.name), b.terms.map(\.name), label, file: file, line: line)
        XCTAssertEqual(a.iterations, b.iterations, label, file: file, line: line)
        XCTAssertEqual(a.converged, b.converged, label, file: file, line: line)
        XCTAssertEqual(a.dropped, b.dropped, label, file: file, line: line)
        for (x, y) in zip(a.terms, b.terms) {
            assertClose(x.coef, y.coef, tolerance: 1e-9, "\(label) coef \(x.name)", file: file, line: line)
            assertClose(x.se, y.se, tolerance: 1e-9, "\(label) se \(x.name)", file: file, line: line)
            assertRelativelyClose(x.pValue, y.pValue, tolerance: 1e-9, "\(label) p \(x.name)", file: file, line: line)
        }
        assertRelativelyClose(
            a.logLikelihood, b.logLikelihood, tolerance: 1e-12, "\(label) log-likelihood", file: file, line: line)
        XCTAssertEqual(a.concordance, b.concordance, accuracy: 1e-12, label, file: file, line: line)
    }

    /// Collapsed and uncollapsed fits agree to 1e-9 on random designs with many ties, and the
    /// collapse really merges rows (far fewer rows than subjects).
    func testCollapsedEqualsUncollapsedOnRandomDesigns() {
        for (seed, days) in [(UInt64(1), 20), (2, 60), (3, 5), (4, 400)] {
            let input = Self.randomDesign(seed: seed, n: 3000, days: days)
            let collapsed = CoxPH.fit(input, confidence: 0.95, maxIterations: 50, tolerance: 1e-9, collapse: true)
            let full = CoxPH.fit(input, confidence: 0.95, maxIterations: 50, tolerance: 1e-9, collapse: false)
            XCTAssertTrue(collapsed.converged, collapsed.message ?? "")
            XCTAssertEqual(collapsed.terms.count, 7)
            assertSameFit(collapsed, full, "seed \(seed)")
            XCTAssertEqual(collapsed, CoxPH.fit(input), "the public fit collapses")
        }
    }

    /// The same design given by pattern (distinct rows plus each subject's row) fits the same.
    func testPatternInputEqualsDenseInput() {
        let input = Self.randomDesign(seed: 7, n: 2000, days: 30)
        let p = input.names.count
        var index: [[Double]: Int32] = [:]
        var patterns: [Double] = []
        var rowPattern: [Int32] = []
        for i in 0..<input.durations.count {
            let row = Array(input.covariates[(i * p)..<((i + 1) * p)])
            if let k = index[row] {
                rowPattern.append(k)
                continue
            }
            let k = Int32(index.count)
            index[row] = k
            patterns += row
            rowPattern.append(k)
        }
        XCTAssertLessThan(index.count, 200)
        let byPattern = CoxInput(
            durations: input.durations, events: input.events, rowPattern: rowPattern,
            patterns: patterns, names: input.names)
        assertSameFit(CoxPH.fit(byPattern), CoxPH.fit(input), "by pattern")
        let uncollapsed = CoxPH.fit(byPattern, confidence: 0.95, maxIterations: 50, tolerance: 1e-9, collapse: false)
        assertSameFit(CoxPH.fit(byPattern), uncollapsed, "by pattern, uncollapsed")
        // By sparse pattern (non-zero entries only): the same numbers, bit for bit.
        let sparse = SparseRows(dense: patterns, columns: p)
        XCTAssertLessThan(sparse.values.count, patterns.count, "the design has zeros to leave out")
        let bySparsePattern = CoxInput(
            durations: input.durations, events: input.events, rowPattern: rowPattern, sparsePatterns: sparse,
            names: input.names)
        XCTAssertEqual(CoxPH.fit(bySparsePattern), CoxPH.fit(byPattern), "by sparse pattern")
        assertSameFit(
            CoxPH.fit(bySparsePattern, confidence: 0.95, maxIterations: 50, tolerance: 1e-9, collapse: false),
            uncollapsed, "by sparse pattern, uncollapsed")
        // A row pattern out of range is a shape error, not a trap.
        let bad = CoxInput(
            durations: [1, 2], events: [true, true], rowPattern: [0, 5], patterns: [0, 1], names: ["x"])
        XCTAssertEqual(CoxPH.fit(bad).terms, [])
        XCTAssertTrue(CoxPH.fit(bad).message?.hasPrefix("input shape mismatch") ?? false)
    }

    /// Efron's terms with a weighted row, worked by hand. Subjects (duration, event, x):
    /// two identical (1, event, 1), one (1, event, 0), one (2, censored, 0), one (3, event, 1).
    /// At β = 0 every e^η is 1. Day 1: risk set of 5 (Σx = 3, Σx² = 3), d = 3 events with
    /// Σx = 2, so φ_l = 5 − l for l = 0, 1, 2 and ℓ = −log(5·4·3) = −log 60 (day 3's lone
    /// subject adds log 1 = 0). Score on the x scale:
    /// 2 − [3/5 + (3 − 2/3)/4 + (3 − 4/3)/3] = 47/180. Information: Σ_l S2_l/φ_l − (S1_l/φ_l)²
    /// with S_l = S − (l/3)·D: 6/25 + 35/144 + 20/81. On the standardised scale (σ² = 0.3, the
    /// sample variance of x) the score divides by σ and the information by σ².
    /// Treating the weighted row as one subject (d = 2) would give ℓ = −log 20 instead.
    func testWeightsThroughEfronByHand() throws {
        let input = CoxInput(
            durations: [1, 1, 1, 2, 3], events: [true, true, true, false, true],
            covariates: [1, 1, 0, 0, 1], names: ["x"])
        let sigma = 0.3.squareRoot()
        for collapse in [true, false] {
            let e = try XCTUnwrap(CoxPH.evaluate(input, beta: [0], collapse: collapse))
            XCTAssertEqual(e.logLikelihood, -log(60.0), accuracy: 1e-12)
            XCTAssertEqual(e.gradient[0], 47.0 / 180.0 / sigma, accuracy: 1e-12)
            XCTAssertEqual(e.information[0], (6.0 / 25 + 35.0 / 144 + 20.0 / 81) / 0.3, accuracy: 1e-12)
        }
        // And away from 0 the collapsed and uncollapsed evaluations agree.
        let a = try XCTUnwrap(CoxPH.evaluate(input, beta: [0.7], collapse: true))
        let b = try XCTUnwrap(CoxPH.evaluate(input, beta: [0.7], collapse: false))
        XCTAssertEqual(a.logLikelihood, b.logLikelihood, accuracy: 1e-12)
        XCTAssertEqual(a.gradient[0], b.gradient[0], accuracy: 1e-12)
        XCTAssertEqual(a.information[0], b.information[0], accuracy: 1e-12)
    }

    /// The information's updates applied a block of event times at a time are those applied one
    /// time after another, to the bit: 1 to 200 distinct event times (not multiples of the block
    /// among them), tied events, dense and one-hot columns, and no column at all.
    func testBlockedInformationUpdatesEqualOneAtATimeToTheBit() throws {
        var rng = SplitMix64(seed: 29)
        for (times, p) in [(1, 3), (31, 3), (32, 2), (33, 4), (65, 5), (200, 6), (50, 0)] {
            let n = 3 * times + 7
            var durations: [Int32] = []
            var events: [Bool] = []
            var covariates: [Double] = []
            for i in 0..<n {
                durations.append(Int32(1 + i % max(times, 1)))
                events.append(Double(rng.next() % 1000) / 1000 < 0.7)
                for j in 0..<p {
                    covariates.append(j % 2 == 0 ? Double(rng.next() % 2) : Double(rng.next() % 1000) / 100 - 5)
                }
            }
            let input = CoxInput(
                durations: durations, events: events, covariates: covariates, names: (0..<p).map { "x\($0)" })
            // The columns the screening keeps: the β length the evaluation takes.
            let kept = try XCTUnwrap(
                (0...p).reversed().first {
                    CoxPH.evaluate(input, beta: Array(repeating: 0, count: $0), collapse: true) != nil
                })
            XCTAssertEqual(kept, p, "every column kept, so every one is exercised")
            let beta = (0..<kept).map { Double($0 % 3) * 0.1 - 0.1 }
            for collapse in [true, false] {
                let a = try XCTUnwrap(CoxPH.evaluate(input, beta: beta, collapse: collapse))
                let b = try XCTUnwrap(CoxPH.evaluate(input, beta: beta, collapse: collapse, rankOneBlock: 1))
                XCTAssertEqual(
                    a.information.map(\.bitPattern), b.information.map(\.bitPattern), "\(times) times, p \(p)")
                XCTAssertEqual(a.gradient.map(\.bitPattern), b.gradient.map(\.bitPattern))
                XCTAssertEqual(a.logLikelihood.bitPattern, b.logLikelihood.bitPattern)
                XCTAssertEqual(a.information.count, kept * kept)
            }
        }
    }

    /// Asking for rows' patterns ahead reads nothing out of bounds and changes no sum: with the
    /// look-ahead on every row (its last rows included, where rows 8 and 16 ahead do not exist)
    /// and never, on 40,000 patterns (one per subject: where it starts by default) and on a
    /// few, the evaluations are the same to the bit. (A hint has no visible effect: what this
    /// can catch is an index out of bounds, which traps, or a change to the sums around it.)
    func testLookingAheadForPatternsChangesNothing() throws {
        var rng = SplitMix64(seed: 31)
        for (n, distinct) in [(40_000, 1_000_000), (500, 3)] {
            var durations: [Int32] = []
            var events: [Bool] = []
            var covariates: [Double] = []
            for _ in 0..<n {
                durations.append(Int32(1 + rng.next() % 400))
                events.append(rng.next() % 3 == 0)
                covariates.append(Double(rng.next() % UInt64(distinct)) / Double(distinct))
                covariates.append(Double(rng.next() % 2))
            }
            let input = CoxInput(durations: durations, events: events, covariates: covariates, names: ["x", "flag"])
            let beta = [0.3, -0.2]
            for collapse in [true, false] {
                let ahead = try XCTUnwrap(CoxPH.evaluate(input, beta: beta, collapse: collapse, prefetchPatterns: 0))
                let never = try XCTUnwrap(
                    CoxPH.evaluate(input, beta: beta, collapse: collapse, prefetchPatterns: .max))
                let usual = try XCTUnwrap(CoxPH.evaluate(input, beta: beta, collapse: collapse))
                for other in [never, usual] {
                    XCTAssertEqual(ahead.information.map(\.bitPattern), other.information.map(\.bitPattern), "n \(n)")
                    XCTAssertEqual(ahead.gradient.map(\.bitPattern), other.gradient.map(\.bitPattern))
                    XCTAssertEqual(ahead.logLikelihood.bitPattern, other.logLikelihood.bitPattern)
                }
            }
        }
    }

    /// A level whose subjects all churn before anyone else's first event is separated: its
    /// coefficient heads to +∞. The fit names it and still reports the other terms' standard
    /// errors (the information's sums over the first, tiny risk sets must not swamp the rest).
    func testASeparatedLevelIsNamedAndTheOtherTermsKeepTheirErrors() {
        for seed: UInt64 in [1, 2, 3] {
            var rng = SplitMix64(seed: seed)
            var durations: [Int32] = []
            var events: [Bool] = []
            var x: [Double] = []
            for i in 0..<3000 {
                let level = i % 10 == 0 ? 0 : (i % 2 == 0 ? 1 : 2)
                let t = level == 0 ? Int32(1 + rng.below(3)) : Int32(4 + rng.below(87))
                durations.append(t)
                events.append(level == 0 ? true : (t < 90 && rng.chance(0.3)))
                x += [level == 0 ? 1 : 0, level == 1 ? 1 : 0, Double(rng.below(4))]
            }
            let r = CoxPH.fit(
                CoxInput(durations: durations, events: events, covariates: x, names: ["trial", "B", "v"]))
            XCTAssertFalse(r.converged, "seed \(seed)")
            XCTAssertTrue(r.message?.contains("'trial' (heading to +∞)") ?? false, "seed \(seed): \(r.message ?? "")")
            for term in r.terms where term.name != "trial" {
                XCTAssertTrue(term.se.isFinite && term.se > 0, "seed \(seed) \(term.name) se \(term.se)")
            }
        }
    }

    /// Columns far from zero (a year, a large count) are screened and fitted as well as the same
    /// columns near zero: 3v + 7 is collinear with v whatever the offset, no varying column is
    /// called constant, and the coefficients per unit do not depend on the offset.
    func testColumnsFarFromZeroAreScreenedAndFittedLikeColumnsNearZero() throws {
        func fit(offset: Double) -> CoxResult {
            var rng = SplitMix64(seed: 3)
            var durations: [Int32] = []
            var events: [Bool] = []
            var x: [Double] = []
            for _ in 0..<5000 {
                let v = Double(rng.below(5))
                durations.append(Int32(1 + rng.below(40)))
                events.append(rng.chance(0.5))
                x += [offset + v, 3 * (offset + v) + 7, Double(rng.below(2)), offset + Double(rng.below(2))]
            }
            return CoxPH.fit(
                CoxInput(durations: durations, events: events, covariates: x, names: ["v", "3v+7", "b", "bin"]))
        }
        let near = fit(offset: 0)
        XCTAssertEqual(near.terms.map(\.name), ["v", "b", "bin"])
        for offset in [2024.0, 1e6, 1e8] {
            let far = fit(offset: offset)
            XCTAssertTrue(far.converged, "offset \(offset): \(far.message ?? "")")
            XCTAssertEqual(far.dropped.map(\.name), ["3v+7"], "offset \(offset)")
            XCTAssertTrue(far.dropped.first?.reason.hasPrefix("collinear with v") ?? false, "offset \(offset)")
            XCTAssertEqual(far.terms.map(\.name), near.terms.map(\.name), "offset \(offset)")
            for (a, b) in zip(far.terms, near.terms) {
                XCTAssertEqual(a.coef, b.coef, accuracy: 1e-7 * max(1, abs(b.coef)), "offset \(offset) \(a.name)")
                XCTAssertEqual(a.se, b.se, accuracy: 1e-7 * b.se, "offset \(offset) \(a.name)")
            }
        }
    }

    /// The gradient and information are the first and (negated) second derivatives of the
    /// log-likelihood, checked by central differences away from β = 0 on a design with heavy ties
    /// (Efron's correction in every time), one-hot columns, a covariate far from zero (held by
    /// every subject, so it is shifted by its mean before the sums) and negative values.
    func testGradientAndInformationAreTheDerivativesOfTheLogLikelihood() throws {
        var rng = SplitMix64(seed: 11)
        var durations: [Int32] = []
        var events: [Bool] = []
        var x: [Double] = []
        for _ in 0..<600 {
            let level = rng.below(3)
            let far = 45 + Double(rng.below(11))
            let signed = [-1.0, 0, 2][rng.below(3)]
            durations.append(Int32(1 + rng.below(12)))
            events.append(rng.chance(0.7))
            x += [level == 1 ? 1 : 0, level == 2 ? 1 : 0, far, signed]
        }
        let input = CoxInput(
            durations: durations, events: events, covariates: x, names: ["l=1", "l=2", "far", "signed"])
        let beta = [0.3, -0.2, 0.15, -0.25]
        let q = beta.count
        let at = try XCTUnwrap(CoxPH.evaluate(input, beta: beta, collapse: true))
        let h = 1e-5
        for j in 0..<q {
            var up = beta
            var down = beta
            up[j] += h
            down[j] -= h
            let plus = try XCTUnwrap(CoxPH.evaluate(input, beta: up, collapse: true))
            let minus = try XCTUnwrap(CoxPH.evaluate(input, beta: down, collapse: true))
            let slope = (plus.logLikelihood - minus.logLikelihood) / (2 * h)
            XCTAssertEqual(at.gradient[j], slope, accuracy: 1e-5 * max(1, abs(slope)), "∂ℓ/∂β\(j)")
            for i in 0..<q {
                let curvature = -(plus.gradient[i] - minus.gradient[i]) / (2 * h)
                XCTAssertEqual(
                    at.information[i * q + j], curvature, accuracy: 1e-5 * max(1, abs(curvature)),
                    "information[\(i)][\(j)]")
                XCTAssertEqual(at.information[i * q + j], at.information[j * q + i], "symmetric")
            }
        }
        // The uncollapsed evaluation (every subject its own row) gives the same values.
        let full = try XCTUnwrap(CoxPH.evaluate(input, beta: beta, collapse: false))
        XCTAssertEqual(full.logLikelihood, at.logLikelihood, accuracy: 1e-9 * abs(at.logLikelihood))
        for k in 0..<(q * q) {
            XCTAssertEqual(full.information[k], at.information[k], accuracy: 1e-9 * max(1, abs(at.information[k])))
        }
    }
}

extension SplitMix64 {
    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }
    /// A uniform integer in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }
}
