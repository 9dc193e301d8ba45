import Foundation
import XCTest

@testable import CohortKit

/// Helpers for the record tests: write rows through a record's writer into a JSON Lines file,
/// read them back, and read the keys the docs list for an output.
enum RecordFiles {
    /// A fresh file path under the temporary folder, removed when `test` tears down.
    static func path(_ test: XCTestCase, _ name: String) -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).jsonl")
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// Writes one line per row with `write`, then reads every line back with `read`, returning
    /// the values read and each line's keys in order.
    static func roundTrip<R>(
        _ test: XCTestCase, _ rows: [R], write: (R, JSONLineBuilder) -> Void, read: (JSONLReader) throws -> R
    ) throws -> (rows: [R], keys: [[String]]) {
        let p = path(test, "record")
        let w = try JSONLWriter(path: p)
        for row in rows {
            w.begin()
            write(row, w.line)
            try w.end()
        }
        try w.commit()
        let r = try JSONLReader(path: p)
        var out: [R] = []
        var keys: [[String]] = []
        while try r.next() {
            XCTAssertNil(r.lineError)
            out.append(try read(r))
            keys.append(r.keys)
        }
        return (out, keys)
    }

    /// Reads one line of JSON Lines text with `read`.
    static func readLine<R>(_ test: XCTestCase, _ line: String, _ read: (JSONLReader) throws -> R) throws -> R {
        let p = path(test, "line")
        try Data((line + "\n").utf8).write(to: URL(fileURLWithPath: p))
        let r = try JSONLReader(path: p)
        XCTAssertTrue(try r.next())
        return try read(r)
    }

    /// The repository's `docs/` file `name`.
    static func doc(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("docs/\(name)"), encoding: .utf8)
    }

    /// The backticked names in the last cell of the docs/stages.md table row for `file`, in order
    /// (the output's documented keys).
    static func documentedKeys(stagesRowFor file: String, section: String) throws -> [String] {
        let text = try doc("stages.md")
        let start = try XCTUnwrap(text.range(of: "## \(section)\n"), section)
        let row = try XCTUnwrap(
            text[start.upperBound...].split(separator: "\n").first { $0.hasPrefix("| `\(file)` |") }, file)
        let last = String(row.split(separator: "|").last ?? "")
        return backticked(last)
    }

    /// The first-column names of the docs/metrics.md table under `heading`, in order.
    static func documentedKeys(metricsTableUnder heading: String) throws -> [String] {
        let text = try doc("metrics.md")
        let start = try XCTUnwrap(text.range(of: "## \(heading)\n"), heading)
        var keys: [String] = []
        var inTable = false
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("|") {
                inTable = true
                let first = String(line.split(separator: "|").first ?? "")
                keys += backticked(first)
            } else if inTable {
                break
            }
        }
        return keys
    }

    static func backticked(_ s: String) -> [String] {
        var out: [String] = []
        var rest = Substring(s)
        while let a = rest.firstIndex(of: "`") {
            let after = rest[rest.index(after: a)...]
            guard let b = after.firstIndex(of: "`") else { break }
            out.append(String(after[..<b]))
            rest = after[after.index(after: b)...]
        }
        return out
    }
}
