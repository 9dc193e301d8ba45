import XCTest

@testable import CohortKit

final class ProgressMeterTests: XCTestCase {
    func testCountsAreGroupedByThousands() {
        XCTAssertEqual(ProgressMeter.grouped(0), "0")
        XCTAssertEqual(ProgressMeter.grouped(999), "999")
        XCTAssertEqual(ProgressMeter.grouped(1000), "1,000")
        XCTAssertEqual(ProgressMeter.grouped(13_597_635), "13,597,635")
    }

    /// Stage runs in tests have no terminal on stderr: no meter, so logs stay one line a stage.
    func testNoMeterWithoutATerminal() throws {
        let r = try StageProcess.run("ingest", ["--help"])
        XCTAssertEqual(r.exitCode, 0)
        XCTAssertFalse(r.stderr.contains("rows read"))
    }

    /// Parts of a file are read on several threads at once, each ticking the one meter: no row is
    /// lost and nothing races.
    func testTicksFromSeveralThreadsAreAllCounted() {
        let meter = ProgressMeter(label: "test")
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<200_000 { meter.tick() }
        }
        XCTAssertEqual(meter.count, 800_000)
    }
}
