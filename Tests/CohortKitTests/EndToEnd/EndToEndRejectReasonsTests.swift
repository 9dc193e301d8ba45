import Foundation
import XCTest

@testable import CohortKit

/// Ingest counts its rejects by reason group (the reason without the row's values) as it writes
/// them and keeps the ten most common in its manifest, which the report shows: they must be what
/// counting `rejects.jsonl` by `reason_group` gives.
final class EndToEndRejectReasonsTests: XCTestCase {
    func testManifestReasonsAreTheTopReasonsOfTheRejectsFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rejects-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        _ = try SampleGenerator(customers: 1500, seed: 5).write(to: dir.path)
        let r = try StageProcess.run("ingest", ["--config", "pipeline.json", "--quiet"], cwd: dir)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let work = dir.appendingPathComponent("work/ingest")
        // Count rejects.jsonl by source and `field: reason_group`, first raw row as the example.
        var counts: [String: (count: Int, example: String)] = [:]
        var reasons: [String: Set<String>] = [:]
        for row in try Output.lines(work.appendingPathComponent("rejects.jsonl")) {
            let source = row["source"] as? String ?? ""
            let key = "\(source)\u{1F}\(row["field"] as? String ?? ""): \(row["reason_group"] as? String ?? "")"
            counts[key, default: (0, row["raw"] as? String ?? "")].count += 1
            reasons[key, default: []].insert(row["reason"] as? String ?? "")
        }
        // The sample's negative amounts differ row by row and count as one reason.
        let negative = try XCTUnwrap(reasons["subscriptions\u{1F}mrr: negative amount"])
        XCTAssertGreaterThan(negative.count, 1, "\(negative)")
        XCTAssertTrue(negative.allSatisfy { $0.hasPrefix("negative amount -") }, "\(negative)")
        let expected = counts.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.prefix(10).map {
            let parts = $0.key.split(separator: "\u{1F}", maxSplits: 1).map(String.init)
            return Manifest.RejectReason(
                source: parts[0], reason: parts[1], count: $0.value.count, example: $0.value.example)
        }
        XCTAssertGreaterThan(counts.count, 1, "the sample plants several kinds of bad rows")
        let manifest = try Manifest.read(stage: "ingest", directory: work.path)
        XCTAssertEqual(manifest.rejectReasons, Array(expected))
    }

    func testOnlyIngestWritesRejectReasons() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        var ingest = Manifest(stage: "ingest", config: .object([]), configDigest: "d")
        ingest.rejectReasons = [.init(source: "events", reason: "event: event is empty", count: 2, example: "C1,,x")]
        try ingest.write(toDirectory: dir.path)
        XCTAssertEqual(try Manifest.read(stage: "ingest", directory: dir.path), ingest)
        let cohort = Manifest(stage: "cohort", config: .object([]), configDigest: "d")
        try cohort.write(toDirectory: dir.path)
        let text = try String(contentsOf: dir.appendingPathComponent("cohort.manifest.json"), encoding: .utf8)
        XCTAssertFalse(text.contains("reject_reasons"), text)
        XCTAssertNil(try Manifest.read(stage: "cohort", directory: dir.path).rejectReasons)
    }
}
