import XCTest

@testable import CohortKit

/// `withRawValue` hands over in place exactly the text `rawValue` copies: objects, arrays,
/// escaped strings, numbers and null as written; nil for a key the line does not have.
final class JSONLReaderRawValueTests: XCTestCase {
    func testInPlaceTextEqualsTheCopy() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("raw-\(UUID().uuidString).jsonl")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let lines = [
            #"{"attributes":{"region":"Kanto","note":"say \"hi\""},"n":-1.5e3}"#,
            #"{"n":null,"attributes":[1, {"a":[]}],"s":"caf\u00e9 \\ end"}"#,
            #"{"s":"","attributes":{}}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        let r = try JSONLReader(path: url.path)
        var seen: [[String?]] = []
        while try r.next() {
            var row: [String?] = []
            for key: StaticString in ["attributes", "n", "s"] {
                let copy = r.rawValue(key).map { String(decoding: $0, as: UTF8.self) }
                let inPlace = r.withRawValue(key) { String(decoding: $0, as: UTF8.self) }
                XCTAssertEqual(inPlace, copy, "line \(r.lineNumber), \(key)")
                row.append(inPlace)
            }
            seen.append(row)
        }
        XCTAssertEqual(
            seen,
            [
                [#"{"region":"Kanto","note":"say \"hi\""}"#, "-1.5e3", nil],
                [#"[1, {"a":[]}]"#, "null", #""caf\u00e9 \\ end""#],
                ["{}", nil, #""""#],
            ])
    }
}
