import XCTest

@testable import CohortKit

/// The binary search the Breslow baseline and the customer table share.
final class PartitioningIndexTests: XCTestCase {
    func testFindsTheFirstElementOfTheSecondPartition() {
        let days = [1, 3, 3, 7, 9]
        XCTAssertEqual(days.partitioningIndex { $0 > 0 }, 0)
        XCTAssertEqual(days.partitioningIndex { $0 > 3 }, 3)
        XCTAssertEqual(days.partitioningIndex { $0 >= 3 }, 1)
        XCTAssertEqual(days.partitioningIndex { $0 > 9 }, 5)
        XCTAssertEqual([Int]().partitioningIndex { $0 > 0 }, 0)
    }
}
