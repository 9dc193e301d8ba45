import XCTest
@testable import CohortKit

final class FingerprintTableTests: XCTestCase {
    /// Every key inserted once is found again with its own value, across several growths, and the
    /// key 0 (the empty-slot marker inside the table) is still an ordinary key.
    func testFindsEveryKeyAcrossGrowth() {
        var t = FingerprintTable<(line: Int32, hash: UInt64)>(capacity: 4, filler: (0, 0))
        var x: UInt64 = 0x1234_5678_9abc_def0
        var keys: [UInt64] = [0]
        for _ in 0..<20_000 { x = x &* 6364136223846793005 &+ 1442695040888963407; keys.append(x) }
        for (i, k) in keys.enumerated() {
            XCTAssertNil(t.existingOrInsert(k, (Int32(i), k &+ 1)), "key \(k) reported as seen before insertion")
        }
        for (i, k) in keys.enumerated() {
            let found = t.existingOrInsert(k, (-1, 0))
            XCTAssertEqual(found?.line, Int32(i))
            XCTAssertEqual(found?.hash, k &+ 1)
        }
    }
}
