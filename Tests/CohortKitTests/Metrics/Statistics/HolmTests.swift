import XCTest

@testable import CohortKit

final class HolmTests: XCTestCase {
    /// p = [0.04, 0.01, 0.03, 0.20, 0.012], m = 5. Sorted: 0.01 (index 1), 0.012 (4), 0.03 (2),
    /// 0.04 (0), 0.20 (3); times 5, 4, 3, 2, 1: 0.05, 0.048, 0.09, 0.08, 0.20; running max:
    /// 0.05, 0.05, 0.09, 0.09, 0.20. Back in input order: [0.09, 0.05, 0.09, 0.20, 0.05].
    func testHandWorked() {
        let adjusted = MultipleTesting.holm([0.04, 0.01, 0.03, 0.20, 0.012])
        let expected = [0.09, 0.05, 0.09, 0.20, 0.05]
        XCTAssertEqual(adjusted.count, expected.count)
        for (a, e) in zip(adjusted, expected) { XCTAssertEqual(a, e, accuracy: 1e-15) }
    }

    /// [0.3, 0.6]: 0.3·2 = 0.6, then max(0.6, 0.6·1) = 0.6; [0.4, 0.7, 0.9] caps at 1:
    /// 1.2 -> 1, 1.4 -> 1, 1.4 -> 1.
    func testCapAndTies() {
        XCTAssertEqual(MultipleTesting.holm([0.6, 0.3]), [0.6, 0.6])
        XCTAssertEqual(MultipleTesting.holm([0.4, 0.7, 0.9]), [1, 1, 1])
        XCTAssertEqual(MultipleTesting.holm([0.02, 0.02]), [0.04, 0.04])
        XCTAssertEqual(MultipleTesting.holm([]), [])
        XCTAssertEqual(MultipleTesting.holm([0.2]), [0.2])
    }
}
