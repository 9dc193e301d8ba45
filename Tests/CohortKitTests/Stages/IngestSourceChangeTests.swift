import Foundation
import XCTest

@testable import CohortKit

/// A source that changes while ingest reads it (an export still being written, or replaced) stops
/// ingest with a data error and no outputs: its rows, byte count and digest could each come from
/// another version of the file.
final class IngestSourceChangeTests: XCTestCase {
    func project() throws -> URL {
        let dir = try E2EFixture.emptyFolder("ingest-change", for: self)
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

    /// Runs ingest on `dir` with `hook` called after each source is read; the exit code and the
    /// error it stopped on.
    func ingest(_ dir: URL, hook: ((PipelineConfig.SourceKind) -> Void)? = nil) -> (Int32, Error?) {
        var stopped: Error? = nil
        let code = StageCommand.run(
            .ingest, arguments: ["--config", dir.appendingPathComponent("pipeline.json").path, "--quiet"],
            body: { ctx in
                var c = ctx
                c.afterReadingSource = hook
                do { try IngestStage.run(c) } catch {
                    stopped = error
                    throw error
                }
            })
        return (code, stopped)
    }

    func assertChanged(_ result: (Int32, Error?), _ source: String, file: StaticString = #filePath, line: UInt = #line)
    {
        XCTAssertEqual(result.0, 1, file: file, line: line)
        guard case .badSource(let path, let reason, _)? = result.1 as? InputError else {
            return XCTFail("stopped on \(String(describing: result.1))", file: file, line: line)
        }
        XCTAssertTrue(path.hasSuffix("/\(source).csv"), path, file: file, line: line)
        XCTAssertTrue(reason.contains("changed while ingest read it"), reason, file: file, line: line)
    }

    func testASourceAppendedToWhileReadStopsIngest() throws {
        let dir = try project()
        let subscriptions = dir.appendingPathComponent("subscriptions.csv")
        let appended = ingest(dir) { kind in
            guard kind == .subscriptions, let h = try? FileHandle(forWritingTo: subscriptions) else { return }
            h.seekToEndOfFile()
            h.write(Data("C,2024-03-01,300\n".utf8))
            try? h.close()
        }
        assertChanged(appended, "subscriptions")
        let manifest = dir.appendingPathComponent("work/ingest/ingest.manifest.json")
        XCTAssertFalse(FileManager.default.fileExists(atPath: manifest.path), "no outputs from a changing file")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("work/ingest/subscriptions.jsonl").path))
        // Once the file stays put, ingest reads it: all three rows.
        XCTAssertEqual(ingest(dir).0, 0)
        let rows = try String(
            contentsOf: dir.appendingPathComponent("work/ingest/subscriptions.jsonl"), encoding: .utf8)
        XCTAssertEqual(rows.split(separator: "\n").count, 3)
    }

    func testASourceReplacedWhileReadStopsIngest() throws {
        let dir = try project()
        let customers = dir.appendingPathComponent("customers.csv")
        let replaced = ingest(dir) { kind in
            guard kind == .customers else { return }
            // Same bytes, new file (another inode), as an export tool's rename leaves it.
            let copy = dir.appendingPathComponent("customers.new")
            try? FileManager.default.copyItem(at: customers, to: copy)
            _ = rename(copy.path, customers.path)
        }
        assertChanged(replaced, "customers")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("work/ingest/ingest.manifest.json").path))
    }
}
