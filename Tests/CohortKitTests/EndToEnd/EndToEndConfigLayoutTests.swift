import Foundation
import XCTest

/// The stage binaries and make on configurations that would lose data or go stale.
final class EndToEndConfigLayoutTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try E2EFixture.copy("basic", for: self)
    }

    private func url(_ p: String) -> URL { dir.appendingPathComponent(p) }

    private func editConfig(_ change: (inout [String: Any]) -> Void) throws {
        try E2EFixture.editConfig(in: dir, change)
    }

    private func setSource(_ kind: String, _ key: String, _ value: String) throws {
        try editConfig { cfg in
            var sources = cfg["sources"] as? [String: Any] ?? [:]
            var s = sources[kind] as? [String: Any] ?? [:]
            s[key] = value
            sources[kind] = s
            cfg["sources"] = sources
        }
    }

    func testASourceInTheIngestFolderIsNeitherOverwrittenNorCleaned() throws {
        try FileManager.default.createDirectory(at: url("work/ingest"), withIntermediateDirectories: true)
        let raw = url("work/ingest/customers.jsonl")
        let original = Data(#"{"customer_id": "C1", "signup_date": "2024-01-01"}"#.utf8 + [10])
        try original.write(to: raw)
        try setSource("customers", "path", "work/ingest/customers.jsonl")
        for args in [["--config", "pipeline.json"], ["--config", "pipeline.json", "--clean"]] {
            let r = try StageProcess.run("ingest", args, cwd: dir)
            assertUserMessage(r, exit: 2, mentions: ["sources.customers.path", "work/ingest"], args.joined())
            XCTAssertEqual(try Data(contentsOf: raw), original, "the source is kept")
        }
    }

    func testChangingASourceTimeZoneRerunsIngest() throws {
        XCTAssertEqual(try MakeProcess.run(cwd: dir).ran.count, 5)
        XCTAssertEqual(try MakeProcess.run(cwd: dir).ran, [])
        try setSource("subscriptions", "timezone", "+09:00")
        let again = try MakeProcess.run(cwd: dir)
        XCTAssertEqual(again.exitCode, 0, again.output)
        XCTAssertTrue(again.ran.contains("ingest"), again.output)
        let manifest = try Output.object(url("work/ingest/ingest.manifest.json"))
        let config = manifest["config"] as? [String: Any]
        let subs = (config?["sources"] as? [String: Any])?["subscriptions"] as? [String: Any]
        XCTAssertEqual(subs?["timezone"] as? String, "+09:00")
    }

    func testBadSourceDateEpochAndHugeConfigAreConfigurationErrors() throws {
        for bad in ["abc", "-1", "253402300799"] {
            try editConfig { $0.removeValue(forKey: "as_of") }
            let r = try StageProcess.run(
                "ingest", ["--config", "pipeline.json"], cwd: dir, environment: ["SOURCE_DATE_EPOCH": bad])
            assertUserMessage(r, exit: 2, mentions: ["SOURCE_DATE_EPOCH"], bad)
        }
        let huge = try StageProcess.run("ingest", ["--config", "/dev/zero"], cwd: dir)
        assertUserMessage(huge, exit: 2, mentions: ["/dev/zero", "larger than 16 MiB"], "/dev/zero")
    }

    /// A device or a pipe given as a source path is refused before it is opened, on one thread
    /// too: ingest reads a source twice (its rows, and its digest), which such a file cannot give
    /// (a pipe's bytes would be shared between the two reads; `/dev/zero` would never end).
    func testADeviceAsASourceIsRefusedBeforeReadingOnAnyThreadCount() throws {
        let original = try Data(contentsOf: url("pipeline.json"))
        for kind in ["subscriptions", "events"] {
            try setSource(kind, "path", "/dev/zero")
            for threads in [["--threads", "1"], []] {
                let r = try StageProcess.run("ingest", ["--config", "pipeline.json"] + threads, cwd: dir)
                assertUserMessage(
                    r, exit: 1,
                    mentions: [
                        "/dev/zero: the \(kind) source is a character device, not a regular file",
                        "write the stream to a file first",
                    ], "\(kind) \(threads)")
                XCTAssertFalse(FileManager.default.fileExists(atPath: url("work/ingest/ingest.manifest.json").path))
            }
            try original.write(to: url("pipeline.json"))
        }
    }

    func testMakeStopsEarlyOnPathsItCannotHandle() throws {
        // A work_dir with a space: refused by --make-vars, accepted by the binaries.
        try editConfig { $0["work_dir"] = "my work" }
        let made = try MakeProcess.run(cwd: dir)
        XCTAssertNotEqual(made.exitCode, 0)
        XCTAssertTrue(made.output.contains("work_dir: the path \"my work\" holds a space"), made.output)
        XCTAssertFalse(made.output.contains("No rule to make target"), made.output)
        XCTAssertEqual(try StageProcess.run("ingest", ["--config", "pipeline.json"], cwd: dir).exitCode, 0)

        // A CONFIG with a space: the Makefile says so before anything else.
        let spaced = url("sp ace")
        try FileManager.default.createDirectory(at: spaced, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: url("pipeline.json"), to: spaced.appendingPathComponent("pipeline.json"))
        let r = try MakeProcess.run(cwd: dir, config: "sp ace/pipeline.json")
        XCTAssertNotEqual(r.exitCode, 0)
        XCTAssertTrue(r.output.contains("make cannot handle a path with spaces"), r.output)
        XCTAssertFalse(r.output.contains("Is a directory"), r.output)
    }

    func testASourcePathWithASpaceWorksWithMake() throws {
        try FileManager.default.moveItem(at: url("raw"), to: url("raw data"))
        for kind in ["customers", "subscriptions", "cancellations"] {
            try setSource(kind, "path", "raw data/\(kind).csv")
        }
        try setSource("events", "path", "raw data/events.jsonl")
        let r = try MakeProcess.run(cwd: dir)
        XCTAssertEqual(r.exitCode, 0, r.output)
        XCTAssertEqual(r.ran.count, 5)
        XCTAssertEqual(try MakeProcess.run(cwd: dir).ran, [])
    }
}
