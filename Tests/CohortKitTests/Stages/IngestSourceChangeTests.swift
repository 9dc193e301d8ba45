import Foundation
import XCTest

@testable import CohortKit

/// A source that changes while ingest reads it (an export still being written, or replaced) stops
/// ingest with a data error and no outputs: its rows, byte count and digest could each come from
/// another version of the file.
final class IngestSourceChangeTests: XCTestCase {
    override func tearDown() {
        IngestStage.afterReadingSource = nil
        super.tearDown()
    }

    func project() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-change-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "customer_id,acquisition_channel\nA,web\nB,web\n".write(
            to: dir.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        try "customer_id,start_date,mrr\nA,2024-01-01,100\nB,2024-02-01,200\n".write(
            to: dir.appendingPathComponent("subscriptions.csv"), atomically: true, encoding: .utf8)
        try """
        {"version": 1, "as_of": "2024-06-30", "work_dir": "work", "currency": {"report": "JPY"},
         "sources": {"customers": {"path": "customers.csv"}, "subscriptions": {"path": "subscriptions.csv"}}}
        """.write(to: dir.appendingPathComponent("pipeline.json"), atomically: true, encoding: .utf8)
        return dir
    }

    func ingest(_ dir: URL) -> Int32 {
        StageCommand.run(
            .ingest, arguments: ["--config", dir.appendingPathComponent("pipeline.json").path, "--quiet"],
            body: { try IngestStage.run($0) })
    }

    func testASourceAppendedToWhileReadStopsIngest() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(at: dir) }
        let subscriptions = dir.appendingPathComponent("subscriptions.csv")
        IngestStage.afterReadingSource = { kind in
            guard kind == .subscriptions, let h = try? FileHandle(forWritingTo: subscriptions) else { return }
            h.seekToEndOfFile()
            h.write(Data("C,2024-03-01,300\n".utf8))
            try? h.close()
        }
        XCTAssertEqual(ingest(dir), 1)
        let manifest = dir.appendingPathComponent("work/ingest/ingest.manifest.json")
        XCTAssertFalse(FileManager.default.fileExists(atPath: manifest.path), "no outputs from a changing file")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("work/ingest/subscriptions.jsonl").path))
        // Once the file stays put, ingest reads it: all three rows.
        IngestStage.afterReadingSource = nil
        XCTAssertEqual(ingest(dir), 0)
        let rows = try String(
            contentsOf: dir.appendingPathComponent("work/ingest/subscriptions.jsonl"), encoding: .utf8)
        XCTAssertEqual(rows.split(separator: "\n").count, 3)
    }

    func testASourceReplacedWhileReadStopsIngest() throws {
        let dir = try project()
        defer { try? FileManager.default.removeItem(at: dir) }
        let customers = dir.appendingPathComponent("customers.csv")
        IngestStage.afterReadingSource = { kind in
            guard kind == .customers else { return }
            // Same bytes, new file (another inode), as an export tool's rename leaves it.
            let copy = dir.appendingPathComponent("customers.new")
            try? FileManager.default.copyItem(at: customers, to: copy)
            _ = rename(copy.path, customers.path)
        }
        XCTAssertEqual(ingest(dir), 1)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("work/ingest/ingest.manifest.json").path))
    }
}
