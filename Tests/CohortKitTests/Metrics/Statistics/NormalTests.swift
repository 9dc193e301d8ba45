import XCTest

@testable import CohortKit

/// The standard normal distribution against reference values (scipy.stats.norm).
final class NormalTests: XCTestCase {
    func testCDFAndSurvival() {
        XCTAssertEqual(Normal.cdf(0), 0.5)
        XCTAssertEqual(Normal.cdf(1.959963984540054), 0.975, accuracy: 1e-15)
        XCTAssertEqual(Normal.cdf(-1), 0.15865525393145707, accuracy: 1e-16)
        // Far in the tails the survival function keeps its relative precision.
        XCTAssertEqual(Normal.sf(10) / 7.619853024160527e-24, 1, accuracy: 1e-12)
        XCTAssertEqual(Normal.cdf(-10) / 7.619853024160527e-24, 1, accuracy: 1e-12)
        for x in stride(from: -5.0, through: 5.0, by: 0.25) {
            XCTAssertEqual(Normal.cdf(x) + Normal.sf(x), 1, accuracy: 1e-15, "x = \(x)")
        }
    }

    func testTwoSidedP() {
        XCTAssertEqual(Normal.twoSidedP(1.959963984540054), 0.05, accuracy: 1e-15)
        XCTAssertEqual(Normal.twoSidedP(-1.959963984540054), 0.05, accuracy: 1e-15)
        XCTAssertEqual(Normal.twoSidedP(0), 1)
        XCTAssertEqual(Normal.twoSidedP(3), 0.0026997960632601866, accuracy: 1e-16)
    }

    func testQuantile() {
        XCTAssertEqual(Normal.quantile(0.975), 1.959963984540054, accuracy: 1e-14)
        XCTAssertEqual(Normal.quantile(0.5), 0, accuracy: 1e-15)
        XCTAssertEqual(Normal.quantile(0.995), 2.5758293035489004, accuracy: 1e-13)
        XCTAssertEqual(Normal.quantile(1e-10), -6.361340902404056, accuracy: 1e-10)
        // The inverse of cdf across the range, both tails included.
        for p in [1e-12, 1e-6, 0.001, 0.02425, 0.1, 0.3, 0.7, 0.9, 0.97575, 0.999, 1 - 1e-6] {
            XCTAssertEqual(Normal.cdf(Normal.quantile(p)) / p, 1, accuracy: 1e-12, "p = \(p)")
        }
    }
}
