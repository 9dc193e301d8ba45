import XCTest

@testable import CohortKit

/// Writing records to a JSON Lines file and reading them back, for the cohort records' round trips.
enum CohortRecordFile {
    /// Writes `records` to a fresh file and returns each line's keys, in order, and the file's reader.
    static func write<R: JSONLRecord>(_ records: [R], test: XCTestCase) throws -> (
        keys: [[String]], reader: JSONLReader
    ) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString).jsonl")
            .path
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        let w = try JSONLWriter(path: path)
        for r in records { try w.write(r) }
        try w.commit()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let keys = try text.split(separator: "\n").map { line in
            try JSONParser.parse(Array(line.utf8)).objectValue?.map(\.0) ?? []
        }
        return (keys, try JSONLReader(path: path))
    }

    /// Every key in `keys` is documented in docs/metrics.md as a field, in backticks.
    static func assertDocumented(_ keys: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../../docs/metrics.md").standardized
        let text = try String(contentsOf: doc, encoding: .utf8)
        for k in keys {
            XCTAssertTrue(text.contains("`\(k)`"), "docs/metrics.md does not document `\(k)`", file: file, line: line)
        }
    }
}
