import XCTest

@testable import CohortKit

/// The hidden options the end-to-end tests use in place of environment variables: parsed into the
/// options (and from there the stage's context), checked like the other flags, absent from --help.
final class StageOptionsTests: XCTestCase {
    func testDebugOptionsAreParsed() throws {
        let o = try XCTUnwrap(
            StageCommand.parse(.ingest, ["--debug-part-min-bytes", "1", "--debug-kill-after-renames=2"]))
        XCTAssertEqual(o.partMinimumBytes, 1)
        XCTAssertEqual(o.killAfterRenames, 2)
        let plain = try XCTUnwrap(StageCommand.parse(.ingest, []))
        XCTAssertNil(plain.partMinimumBytes)
        XCTAssertNil(plain.killAfterRenames)
    }

    func testDebugOptionsRejectBadValues() {
        for args in [
            ["--debug-part-min-bytes", "0"], ["--debug-kill-after-renames", "x"], ["--debug-part-min-bytes"],
        ] {
            XCTAssertThrowsError(try StageCommand.parse(.normalize, args), "\(args)") { error in
                XCTAssertTrue(error is UsageError, "\(args): \(error)")
            }
        }
    }

    func testDebugOptionsAreNotInHelp() {
        for d in [StageDescription.ingest, .normalize, .cohort, .attribution, .report] {
            XCTAssertFalse(d.help.contains("--debug"), d.name)
        }
    }
}
