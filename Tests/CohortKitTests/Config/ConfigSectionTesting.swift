import XCTest

@testable import CohortKit

/// A minimal configuration with one top-level section written out, and the check that a
/// section is refused as a configuration error (exit 2) at its key path, naming what it must.
enum ConfigSectionTesting {
    static let file = "/tmp/x/pipeline.json"

    /// The configuration with `section` set to the JSON text `value`.
    static func config(_ section: String, _ value: String) throws -> PipelineConfig {
        let text =
            #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}}, ""#
            + section + #"": "# + value + "}"
        return try PipelineConfig(value: JSONParser.parse(text), file: file)
    }

    /// `section` set to `value` is refused at `keyPath`, the message holding each of `mentions`
    /// (and, with `prefixed`, starting with the file and the key path).
    static func assertRefused(
        _ section: String, _ value: String, keyPath: String, mentions: [String], prefixed: Bool,
        file: StaticString, line: UInt
    ) {
        XCTAssertThrowsError(try config(section, value), value, file: file, line: line) { e in
            guard let e = e as? ConfigError else { return XCTFail("\(e)", file: file, line: line) }
            XCTAssertEqual(e.keyPath, keyPath, file: file, line: line)
            XCTAssertEqual(e.exitCode, 2, file: file, line: line)
            if prefixed {
                XCTAssertTrue(
                    e.description.hasPrefix("\(Self.file): \(keyPath): "), "\(e)", file: file, line: line)
            }
            for m in mentions { XCTAssertTrue(e.description.contains(m), "\(m) not in: \(e)", file: file, line: line) }
        }
    }
}
