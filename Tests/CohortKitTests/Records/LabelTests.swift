import XCTest

@testable import CohortKit

final class LabelTests: XCTestCase {
    func testBucketNamesFromInputGetABackslash() {
        for name in ["(other)", "(unknown)", "(all)", "(weighted)", "(unmapped)", "(no reason given)"] {
            XCTAssertEqual(Label.fromInput(name), "\\" + name)
            XCTAssertEqual(
                Label.fromInput("\\" + name), "\\\\" + name, "an already escaped-looking label gets one more")
            XCTAssertEqual(Label.fromInput("\\\\" + name), "\\\\\\" + name)
        }
    }

    func testOtherLabelsAreKept() {
        for label in [
            "web", "(direct)", "(other", "other)", "\\", "", "((other))", "(Other)", " (other)", "a\\(other)",
        ] {
            XCTAssertEqual(Label.fromInput(label), label)
        }
    }

    func testEscapingIsInjective() {
        let inputs = ["(other)", "\\(other)", "\\\\(other)", "(all)", "\\(all)", "web", "\\web"]
        let outputs = inputs.map(Label.fromInput)
        XCTAssertEqual(Set(outputs).count, inputs.count)
        XCTAssertTrue(Set(outputs).isDisjoint(with: Label.reserved), "no input label becomes a bucket name")
    }
}
