import Foundation
import XCTest

@testable import CohortKit

/// The golden attribution fixture: the customers of cox.json with raw levels, and what lifelines
/// and statsmodels computed per segment and pair.
///
/// Produced by `scripts/golden/attribution_golden.py` (command and versions at its top).
struct AttributionGolden: Decodable {
    struct Segment: Decodable {
        let value: String
        let customers: Int
        let churned: Int
        let churnProb90: Double
        let churnProb90Lower: Double
        let churnProb90Upper: Double
        let churnProb365: Double
        let churnProb365Lower: Double
        let churnProb365Upper: Double
        let relativeRisk: Double
    }

    struct Pair: Decodable {
        let a: String
        let b: String
        let statistic: Double
        let pValue: Double
        let pHolm: Double
    }

    struct Dimension: Decodable {
        let name: String
        let logrankStatistic: Double
        let logrankDf: Int
        let logrankPValue: Double
        let segments: [Segment]
        let pairwise: [Pair]
    }

    let dimensions: [Dimension]
    let channel: [String]
    let plan: [String]
    let region: [String]
    let durations: [Int]
    let events: [Bool]

    static func load() throws -> AttributionGolden {
        try GoldenFixture.load("attribution")
    }
}

/// Runs the real attribution stage on the golden customers (as raw CSVs through ingest and
/// normalize) and compares its segments, pairwise tests and Cox model with lifelines.
final class AttributionGoldenTests: XCTestCase {
    private static var cached: (AttributionGolden, AttributionPipeline)?

    private func pipeline() throws -> (AttributionGolden, AttributionPipeline) {
        if let cached = Self.cached { return cached }
        let golden = try AttributionGolden.load()
        let customers = golden.durations.indices.map { i in
            AttributionPipeline.Customer(
                id: String(format: "C%04d", i), channel: golden.channel[i],
                attributes: ["plan": golden.plan[i], "region": golden.region[i]],
                duration: golden.durations[i], churned: golden.events[i], lead: i % 40)
        }
        let p = try AttributionPipeline(
            customers: customers, attributeColumns: ["plan", "region"],
            dimensions: ["acquisition_channel", "plan", "region"])
        XCTAssertTrue(p.run())
        Self.cached = (golden, p)
        return (golden, p)
    }

    override class func tearDown() {
        cached?.1.remove()
        cached = nil
        super.tearDown()
    }

    private func dimensionName(_ golden: String) -> String { golden == "channel" ? "acquisition_channel" : golden }

    func testSegmentsMatchLifelinesKaplanMeier() throws {
        let (golden, p) = try pipeline()
        let segments = try p.rows("segments")
        for d in golden.dimensions {
            let name = dimensionName(d.name)
            let rows = segments.filter { $0.string("dimension") == name }
            XCTAssertEqual(rows.map { $0.string("value") ?? "" }, d.segments.map(\.value), name)
            for s in d.segments {
                guard let row = rows.first(where: { $0.string("value") == s.value }) else { continue }
                let label = "\(name)=\(s.value)"
                XCTAssertEqual(row.int("customers"), s.customers, label)
                XCTAssertEqual(row.int("churned"), s.churned, label)
                assertClose(row.double("churn_prob_early"), s.churnProb90, tolerance: 1e-6, "early \(label)")
                assertClose(
                    row.double("churn_prob_early_lower"), s.churnProb90Lower, tolerance: 1e-6, "early lower \(label)")
                assertClose(
                    row.double("churn_prob_early_upper"), s.churnProb90Upper, tolerance: 1e-6, "early upper \(label)")
                assertClose(row.double("churn_prob_1y"), s.churnProb365, tolerance: 1e-6, "1y \(label)")
                assertClose(
                    row.double("churn_prob_1y_lower"), s.churnProb365Lower, tolerance: 1e-6, "1y lower \(label)")
                assertClose(
                    row.double("churn_prob_1y_upper"), s.churnProb365Upper, tolerance: 1e-6, "1y upper \(label)")
                assertClose(row.double("relative_risk"), s.relativeRisk, tolerance: 1e-6, "relative risk \(label)")
                assertRelativelyClose(
                    row.double("logrank_p_value"), d.logrankPValue, tolerance: 1e-6, "log-rank \(name)")
                XCTAssertEqual(row["pooled"] as? Bool, false, label)
            }
        }
    }

    func testPairwiseLogRankAndHolmMatchLifelines() throws {
        let (golden, p) = try pipeline()
        let pairwise = try p.rows("pairwise")
        for d in golden.dimensions {
            let name = dimensionName(d.name)
            let rows = pairwise.filter { $0.string("dimension") == name }
            XCTAssertEqual(
                rows.map { "\($0.string("a") ?? "")|\($0.string("b") ?? "")" }, d.pairwise.map { "\($0.a)|\($0.b)" },
                name)
            for (row, e) in zip(rows, d.pairwise) {
                let label = "\(name) \(e.a) vs \(e.b)"
                assertClose(row.double("statistic"), e.statistic, tolerance: 1e-6, "statistic \(label)")
                assertRelativelyClose(row.double("p_value"), e.pValue, tolerance: 1e-6, "p \(label)")
                assertRelativelyClose(row.double("p_holm"), e.pHolm, tolerance: 1e-6, "Holm \(label)")
            }
        }
    }

    /// The stage's own one-hot design (largest level as reference, ties by name) must reproduce the
    /// cox.json fit, which lifelines made on the same customers.
    func testStageCoxMatchesLifelines() throws {
        let (_, p) = try pipeline()
        let cox = try CoxGolden.load()
        let rows = try p.rows("cox")
        let names = rows.map {
            "\(($0.string("dimension") ?? "") == "acquisition_channel" ? "channel" : $0.string("dimension") ?? "")=\($0.string("level") ?? "")"
        }
        XCTAssertEqual(names, cox.names)
        let references = Dictionary(
            rows.map { ($0.string("dimension") ?? "", $0.string("reference") ?? "") }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(references, ["acquisition_channel": "organic", "plan": "basic", "region": "emea"])
        for (k, row) in rows.enumerated() where k < cox.names.count {
            let e = cox.expected
            assertClose(row.double("coef"), e.coef[k], tolerance: 1e-6, "coef \(names[k])")
            assertClose(row.double("se"), e.se[k], tolerance: 1e-6, "se \(names[k])")
            assertClose(row.double("hazard_ratio"), e.hazardRatio[k], tolerance: 1e-6, "HR \(names[k])")
            assertClose(row.double("ci_lower"), e.hrLower95[k], tolerance: 1e-6, "lower \(names[k])")
            assertClose(row.double("ci_upper"), e.hrUpper95[k], tolerance: 1e-6, "upper \(names[k])")
            assertClose(row.double("z"), e.z[k], tolerance: 1e-6, "z \(names[k])")
            assertRelativelyClose(row.double("p_value"), e.p[k], tolerance: 1e-6, "p \(names[k])")
        }
        let model = try p.object("cox_model")
        XCTAssertEqual(model.int("n"), cox.expected.n)
        XCTAssertEqual(model.int("events"), cox.expected.events)
        assertClose(model.double("log_likelihood"), cox.expected.logLikelihood, tolerance: 1e-6)
        assertClose(model.double("concordance"), cox.expected.concordance, tolerance: 1e-6)
        XCTAssertEqual(model["converged"] as? Bool, true)
    }
}
