import Foundation
import XCTest

@testable import CohortKit

/// `BackgroundRowWriter` writes on its worker the same bytes, in the same order, as writing
/// inline, and a write error on the worker stops the caller within two batches.
final class BackgroundRowWriterTests: XCTestCase {
    private func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "row-writer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    private struct Refused: Error, Equatable { let row: Int }

    private func writeRows(
        _ count: Int, to path: String, background: Bool, batchSize: Int, failingAt failing: Int? = nil
    ) throws -> (writer: JSONLWriter, handedOver: Int) {
        let w = try JSONLWriter(path: path)
        let rows = BackgroundRowWriter<Int>(writer: w, background: background, batchSize: batchSize) { i, w in
            if i == failing { throw Refused(row: i) }
            w.begin()
            w.line.key("i")
            w.line.int(i)
            w.line.key("text")
            w.line.string(String(repeating: "r", count: i % 37))
            try w.end()
        }
        defer { rows.drain() }
        var handedOver = 0
        for i in 0..<count {
            try rows.append(i)
            handedOver += 1
        }
        try rows.finish()
        return (w, handedOver)
    }

    func testBackgroundWritesTheSameBytesAsInline() throws {
        let dir = try folder()
        for (count, batchSize) in [(0, 8), (1, 8), (8, 8), (1_001, 1), (20_000, 7), (20_000, 8_192)] {
            let inline = try writeRows(count, to: dir + "/inline.jsonl", background: false, batchSize: batchSize)
            try inline.writer.commit()
            let worker = try writeRows(count, to: dir + "/worker.jsonl", background: true, batchSize: batchSize)
            try worker.writer.commit()
            let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/inline.jsonl"))
            let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/worker.jsonl"))
            XCTAssertEqual(a.count, b.count, "\(count) rows in batches of \(batchSize)")
            XCTAssertTrue(a == b, "\(count) rows in batches of \(batchSize): the files differ")
            XCTAssertEqual(worker.writer.rows, count)
            XCTAssertEqual(worker.writer.sha256, inline.writer.sha256)
        }
    }

    /// The worker fails on row 35 of batches of 10 (the fourth batch): the caller's `append`
    /// throws that error when it hands over the sixth batch at the latest (two in flight), long
    /// before the end of its 100,000 rows; writing inline throws at the row itself.
    func testAWorkerWriteErrorStopsTheCallerWithinTwoBatches() throws {
        let dir = try folder()
        let batchSize = 10
        let failing = 35
        for background in [true, false] {
            var thrown: Error?
            do {
                _ = try writeRows(
                    100_000, to: dir + "/rows-\(background).jsonl", background: background, batchSize: batchSize,
                    failingAt: failing)
            } catch {
                thrown = error
            }
            XCTAssertEqual(thrown as? Refused, Refused(row: failing), "background \(background)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/rows-\(background).jsonl"))
        }
        var handedOver = 0
        let w = try JSONLWriter(path: dir + "/count.jsonl")
        let rows = BackgroundRowWriter<Int>(writer: w, background: true, batchSize: batchSize) { i, w in
            if i == failing { throw Refused(row: i) }
            w.begin()
            w.line.key("i")
            w.line.int(i)
            try w.end()
        }
        defer { rows.drain() }
        do {
            for i in 0..<100_000 {
                try rows.append(i)
                handedOver += 1
            }
            XCTFail("append never threw the worker's error")
        } catch {
            XCTAssertEqual(error as? Refused, Refused(row: failing))
        }
        let failingBatch = failing / batchSize
        XCTAssertLessThan(handedOver, (failingBatch + 3) * batchSize, "the caller ran on past two more batches")
        XCTAssertThrowsError(try rows.finish()) { XCTAssertEqual($0 as? Refused, Refused(row: failing)) }
    }
}
