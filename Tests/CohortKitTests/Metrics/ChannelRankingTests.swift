import XCTest

@testable import CohortKit

final class ChannelRankingTests: XCTestCase {
    func testKeepsTheChannelsWithTheMostCustomersTiesByName() {
        // a: 5, b: 9, c: 5, d: 1, e: 0 with limit 2 keep b and a (a before c by name).
        let r = ChannelRanking(customers: [5, 9, 5, 1, 0], names: ["a", "b", "c", "d", "e"], limit: 2)
        XCTAssertEqual(r.pooled, [false, false, true, true, false])
        XCTAssertEqual(r.pooledCount, 2)
        XCTAssertTrue(r.hasPooled)
    }

    func testPoolsNothingWhileTheChannelsFit() {
        let r = ChannelRanking(customers: [5, 9, 0, 0], names: ["a", "b", "c", "d"], limit: 2)
        XCTAssertEqual(r.pooled, [false, false, false, false], "channels without customers do not count")
        XCTAssertFalse(r.hasPooled)
    }

    func testTenThousandChannels() {
        let n = 10_000
        let r = ChannelRanking(
            customers: (0..<n).map { $0 % 7 + 1 }, names: (0..<n).map { String(format: "c%05d", $0) }, limit: 12)
        XCTAssertEqual(r.pooledCount, n - 12)
        // The 12 kept have 7 customers (i % 7 == 6) and are the first by name.
        XCTAssertEqual((0..<n).filter { !r.pooled[$0] }, (0..<12).map { $0 * 7 + 6 })
    }
}
