import Foundation
import XCTest

/// The golden survival fixture: input rows and what lifelines/statsmodels computed from them.
///
/// Produced by `scripts/golden/survival_golden.py` (command and versions at its top).
struct SurvivalGolden: Decodable {
    struct Rows: Decodable {
        let duration: [Int32]
        let event: [Bool]
        let group: [Int32]
    }

    struct Timeline: Decodable {
        let day: [Int]
        let survival: [Double]
        let ciLower: [Double]
        let ciUpper: [Double]
    }

    struct Curve: Decodable {
        let group: Int32?
        let confidence: Double
        let customers: Int
        let churned: Int
        let survival: [Double]
        let ciLower: [Double]
        let ciUpper: [Double]
        let atRisk: [Int]
        let events: [Int]
        let medianDays: Int?
        let restrictedMeanDays: [String: Double]
        let timeline: Timeline
    }

    struct Test: Decodable {
        let statistic: Double
        let df: Int
        let pValue: Double
    }

    struct Pair: Decodable {
        let a: Int
        let b: Int
        let statistic: Double
        let pValue: Double
        let pHolm: Double
    }

    struct Tiny: Decodable {
        let durations: [Int32]
        let events: [Bool]
        let groups: [Int32]
        let statistic: Double
        let pValue: Double
    }

    let seed: Int
    let rows: Rows
    let groupCount: Int
    let marks: [Int]
    let curves: [Curve]
    let logrank: Test
    let pairwise: [Pair]
    let tinyLogrank: Tiny

    /// The rows of one group, or all rows for nil.
    func rows(ofGroup group: Int32?) -> (durations: [Int32], events: [Bool]) {
        guard let group else { return (rows.duration, rows.event) }
        let keep = rows.group.indices.filter { rows.group[$0] == group }
        return (keep.map { rows.duration[$0] }, keep.map { rows.event[$0] })
    }

    /// Loads `Fixtures/golden/survival.json` from the test bundle, or beside this source file.
    static func load() throws -> SurvivalGolden {
        try GoldenFixture.load("survival")
    }
}

/// Asserts `actual` is within `tolerance` of `expected`, absolutely or relative to `expected`.
func assertClose(
    _ actual: Double?, _ expected: Double, tolerance: Double = 1e-9, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    guard let actual else {
        XCTFail("nil, expected \(expected) \(message)", file: file, line: line)
        return
    }
    let error = abs(actual - expected)
    if error > tolerance && error > tolerance * abs(expected) {
        XCTFail("\(actual) != \(expected) (error \(error)) \(message)", file: file, line: line)
    }
}
