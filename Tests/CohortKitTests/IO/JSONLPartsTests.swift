import Foundation
import XCTest

@testable import CohortKit

final class JSONLPartsTests: XCTestCase {
    private func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "parts-\(UUID().uuidString).jsonl"
        try AtomicFileWriter.write(text, to: path)
        addTeardownBlock { unlink(path) }
        return path
    }

    /// Lines of customers C00..C39, customer k having k % 4 + 1 rows.
    private func groupedFile() -> (text: String, customers: [String]) {
        var text = ""
        var ids: [String] = []
        for k in 0..<40 {
            let id = String(format: "C%02d", k)
            for n in 0...(k % 4) { text += "{\"customer_id\":\"\(id)\",\"n\":\(n)}\n" }
            ids.append(id)
        }
        return (text, ids)
    }

    private func read(_ path: String, _ part: JSONLParts.Part) throws -> [String] {
        let r = try JSONLReader(path: path, range: part.range)
        var ids: [String] = []
        while try r.next() { ids.append(r.string("customer_id") ?? "?") }
        return ids
    }

    func testCutsBetweenGroupsAndCoversEveryLineOnce() throws {
        let (text, _) = groupedFile()
        let path = try write(text)
        let all = try read(path, JSONLParts.Part(range: 0..<text.utf8.count))
        for count in [2, 3, 5] {
            let parts = try JSONLParts.split(path: path, count: count, groupKey: "customer_id", minimumBytes: 1)
            XCTAssertEqual(parts.count, count, "\(count) parts")
            XCTAssertEqual(parts.first?.range.lowerBound, 0)
            XCTAssertEqual(parts.last?.range.upperBound, text.utf8.count)
            for (a, b) in zip(parts, parts.dropFirst()) { XCTAssertEqual(a.range.upperBound, b.range.lowerBound) }
            var seen: [String] = []
            for p in parts {
                let ids = try read(path, p)
                XCTAssertFalse(ids.isEmpty)
                XCTAssertEqual(p.firstKey, p.range.lowerBound == 0 ? nil : ids.first)
                // No customer on both sides of a cut.
                if let last = seen.last, let first = ids.first {
                    XCTAssertNotEqual(last, first, "a cut splits \(first)")
                }
                seen += ids
            }
            XCTAssertEqual(seen, all)
        }
    }

    func testSmallFilesAndUngroupableFilesStayWhole() throws {
        let (text, _) = groupedFile()
        let path = try write(text)
        XCTAssertEqual(
            try JSONLParts.split(path: path, count: 2, groupKey: "customer_id").count, 1, "under the default minimum")
        // One customer throughout: no cut can keep its rows together.
        let one = try write(String(repeating: "{\"customer_id\":\"C1\",\"n\":1}\n", count: 200))
        XCTAssertEqual(try JSONLParts.split(path: one, count: 2, groupKey: "customer_id", minimumBytes: 1).count, 1)
        // Without a key, any line start will do.
        let parts = try JSONLParts.split(path: one, count: 2, minimumBytes: 1)
        XCTAssertEqual(parts.count, 2)
        XCTAssertEqual(try read(one, parts[0]).count + read(one, parts[1]).count, 200)
    }

    /// An error met inside a later part names the line of the whole file.
    func testErrorsInALaterPartNameTheFilesLine() throws {
        var (text, _) = groupedFile()
        text += "{\"customer_id\":\"C99\",\"n\":oops}\n"
        let path = try write(text)
        let total = text.split(separator: "\n").count
        let parts = try JSONLParts.split(path: path, count: 2, minimumBytes: 1)
        XCTAssertEqual(parts.count, 2)
        let r = try JSONLReader(path: path, range: parts[1].range)
        var failure: Error?
        while try r.next() {
            if let e = r.lineError { failure = InputError.malformedFile(path: path, line: r.lineNumber, reason: e) }
        }
        XCTAssertLessThan(r.lineNumber, total, "part-local numbering")
        guard
            case InputError.malformedFile(_, let line, _)? = failure.map({
                JSONLParts.rebase($0, path: path, part: parts[1])
            })
        else {
            return XCTFail("no error found in the last part")
        }
        XCTAssertEqual(line, total)
    }

    func testMapKeepsPartOrderAndRaisesTheFirstPartsError() throws {
        let parts = (0..<4).map { JSONLParts.Part(range: $0 * 10..<($0 + 1) * 10) }
        for parallel in [false, true] {
            XCTAssertEqual(
                try JSONLParts.map(parts, parallel: parallel) { k, p in k * 100 + p.range.lowerBound },
                [0, 110, 220, 330])
            XCTAssertThrowsError(
                try JSONLParts.map(parts, parallel: parallel) { k, _ -> Int in
                    if k >= 1 { throw InputError.malformedFile(path: "p", line: k, reason: "bad") }
                    return k
                }
            ) { error in
                guard case InputError.malformedFile(_, let line, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(line, 1)
            }
        }
    }
}
