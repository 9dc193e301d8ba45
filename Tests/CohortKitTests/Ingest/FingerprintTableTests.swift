import XCTest

@testable import CohortKit

final class FingerprintTableTests: XCTestCase {
    /// Every key inserted once is found again with its own value, across several growths, and the
    /// key 0 (the empty-slot marker inside the table) is still an ordinary key.
    func testFindsEveryKeyAcrossGrowth() {
        let t = FingerprintTable(capacity: 4)
        var x: UInt64 = 0x1234_5678_9abc_def0
        var keys: [UInt64] = [0]
        for _ in 0..<20_000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            keys.append(x)
        }
        for (i, k) in keys.enumerated() {
            XCTAssertNil(
                t.existingOrInsert(k, line: Int32(i), check: UInt32(truncatingIfNeeded: k >> 7)),
                "key \(k) reported as seen before insertion")
            if i == 10_000 { t.reserve(300_000) }  // past the 2 MiB where slots move to mapped pages
        }
        XCTAssertEqual(t.count, keys.count)
        for (i, k) in keys.enumerated() {
            let found = t.existingOrInsert(k, line: -1, check: 0)
            XCTAssertEqual(found?.line, Int32(i))
            XCTAssertEqual(found?.check, UInt32(truncatingIfNeeded: k >> 7))
        }
        XCTAssertEqual(t.count, keys.count)
    }
}
