import XCTest
@testable import CohortKit
final class SmokeTests: XCTestCase { func testVersion() { XCTAssertFalse(CohortKit.version.isEmpty) } }
