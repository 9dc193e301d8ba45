import Foundation
import XCTest

@testable import CohortKit

/// Output digests computed while writing, manifest fields, lineage comparisons and the names of
/// temporary files.
final class ManifestLineageTests: XCTestCase {
    private func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d.path
    }

    /// Seeded bytes over several flush buffers (3.5 MB), hashed inline and on the background queue.
    func testTheDigestComputedWhileWritingIsTheFilesDigest() throws {
        let dir = try tempDir()
        var rng = SplitMix64(seed: 99)
        let chunks = (0..<7).map { _ in (0..<500_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        for mode in [DigestMode.inline, .background] {
            let path = "\(dir)/out-\(mode).bin"
            let w = try AtomicFileWriter(path: path, digest: mode)
            for c in chunks { try w.write(c) }
            try w.finish()
            XCTAssertFalse(FileManager.default.fileExists(atPath: path), "nothing in place before rename")
            try w.rename()
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertEqual(w.bytesWritten, data.count)
            XCTAssertEqual(w.sha256, SHA256.hex(of: Array(data)), "digest: \(mode)")
            XCTAssertEqual(w.xxh64, XXH64.hex(of: Array(data)), "XXH64: \(mode)")
        }
    }

    func testADiscardedWriterLeavesTheOldFileAndNoTemporary() throws {
        let dir = try tempDir()
        let path = "\(dir)/kept.txt"
        try AtomicFileWriter.write("old", to: path)
        let w = try AtomicFileWriter(path: path)
        try w.write("new and longer".utf8)
        try w.finish()
        w.discard()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["kept.txt"])
    }

    func testManifestRoundTripsAsOfSizesWarningsAndCoverage() throws {
        let dir = try tempDir()
        var m = Manifest(
            stage: "ingest", config: .object([("ingest", .object([("max_reject_ratio", .number("0.01"))]))]),
            configDigest: "abc", asOf: "2024-12-31",
            outputs: [
                .init(
                    name: "customers", path: "w/customers.jsonl", schemaVersion: 1, rows: 3, sha256: "00", bytes: 42,
                    xxh64: "0123456789abcdef"),
                .init(name: "older", path: "w/older.jsonl", schemaVersion: 1, rows: 1, sha256: "01", bytes: 7),
            ])
        m.inputs = [
            .init(path: "raw/customers.csv", bytes: 9, sha256: "02"),
            .init(path: "w/upstream.jsonl", bytes: 11, sha256: "03", xxh64: "fedcba9876543210"),
        ]
        m.warnings = ["a warning"]
        m.coverage = [
            .init(source: "customers", first: "2024-01-01", last: "2024-12-28"),
            .init(source: "events", first: nil, last: nil),
        ]
        try m.write(toDirectory: dir)
        let back = try Manifest.read(stage: "ingest", directory: dir)
        XCTAssertEqual(back, m)
        XCTAssertEqual(back.outputs.first?.bytes, 42)
        XCTAssertEqual(back.outputs.map(\.xxh64), ["0123456789abcdef", nil])
        XCTAssertEqual(back.inputs.map(\.xxh64), [nil, "fedcba9876543210"])
        XCTAssertEqual(back.configSection("ingest")?["max_reject_ratio"], .number("0.01"))
    }

    func testFirstDifferenceIgnoresKeyOrderAndNamesTheKeyPath() {
        let a = JSONValue.object([("grace_days", .number("0")), ("cohort_basis", .string("first_subscription"))])
        let b = JSONValue.object([("cohort_basis", .string("first_subscription")), ("grace_days", .number("0.0"))])
        XCTAssertNil(Lineage.firstDifference(a, b, path: "normalize"))
        let c = JSONValue.object([("cohort_basis", .string("signup_date")), ("grace_days", .number("0"))])
        let d = Lineage.firstDifference(a, c, path: "normalize")
        XCTAssertEqual(d?.path, "normalize.cohort_basis")
        XCTAssertEqual(d?.old, "\"first_subscription\"")
        XCTAssertEqual(d?.new, "\"signup_date\"")
    }

    func testTemporaryNamesAreRecognisedOnlyInThePipelinesPattern() {
        XCTAssertEqual(StaleTemporaries.pid(inTemporaryName: ".customers.jsonl.tmp-1234"), 1234)
        XCTAssertNil(StaleTemporaries.pid(inTemporaryName: "customers.jsonl.tmp-1234"), "no leading dot")
        XCTAssertNil(StaleTemporaries.pid(inTemporaryName: ".customers.jsonl.tmp-12a"))
        XCTAssertNil(StaleTemporaries.pid(inTemporaryName: ".customers.jsonl.tmp-"))
    }

    /// Starts `path` with `arguments` as a child of this process (not waited for).
    private func spawnChild(_ path: String, _ arguments: String...) -> pid_t {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        XCTAssertEqual(posix_spawn(&pid, path, nil, nil, argv, nil), 0)
        return pid
    }

    /// Waits for child `pid` to end.
    private func reap(_ pid: pid_t) {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// A writer that has exited but not been waited for (a zombie, as a stage killed with its
    /// make is for a moment) still answers kill(pid, 0): its temporaries are stale all the same.
    func testAnExitedWriterAwaitingItsParentIsNotAlive() throws {
        let pid = spawnChild("/bin/true")
        defer { reap(pid) }
        let deadline = Date() + 5
        while !StaleTemporaries.isExiting(pid) && Date() < deadline { usleep(10_000) }
        XCTAssertEqual(kill(pid, 0), 0, "the zombie still answers")
        XCTAssertTrue(StaleTemporaries.isExiting(pid))
        XCTAssertFalse(StaleTemporaries.isAlive(pid))
        XCTAssertTrue(StaleTemporaries.isAlive(getpid()))
        XCTAssertFalse(StaleTemporaries.isExiting(getppid()), "a running process")
    }

    /// A process named with ") " (the kernel's stat line puts the name in parentheses) is read
    /// from the last parenthesis: a live one is not taken for exiting.
    func testAProcessNameWithAParenthesisIsReadRight() throws {
        let dir = try E2EFixture.emptyFolder("paren", for: self)
        let exe = dir.appendingPathComponent("a) Z 1 2")
        try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: exe.path)
        let pid = spawnChild(exe.path, "5")
        defer {
            kill(pid, SIGKILL)
            reap(pid)
        }
        usleep(100_000)
        XCTAssertFalse(StaleTemporaries.isExiting(pid))
        XCTAssertTrue(StaleTemporaries.isAlive(pid))
    }

    /// A temporary of output `dead` whose writer is gone (no process has the largest pid) and one
    /// of output `live` written by this process, in `folder`.
    private func temporaries(in folder: URL, dead: String, live: String) throws -> (dead: URL, live: URL) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = (
            folder.appendingPathComponent(".\(dead).tmp-\(Int32.max - 1)"),
            folder.appendingPathComponent(".\(live).tmp-\(getpid())")
        )
        for f in [files.0, files.1] { try Data("x".utf8).write(to: f) }
        return files
    }

    /// `make clean` (here its function, after make's own sweep has not run) removes a dead
    /// writer's temporary among a stage's files and keeps a live writer's.
    func testCleanRemovesDeadWritersTemporaries() throws {
        let dir = try E2EFixture.copy("basic", for: self)
        let (dead, live) = try temporaries(
            in: dir.appendingPathComponent("work/normalize"), dead: "customers.jsonl", live: "intervals.jsonl")
        let config = try PipelineConfig.load(path: dir.appendingPathComponent("pipeline.json").path)
        PipelineMake.clean(config)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: live.path))
    }

    /// make's look at the configuration removes a dead writer's temporaries in every stage's
    /// folder, whether or not the stage reruns; a live writer's stay.
    func testMakeRemovesDeadWritersTemporariesInEveryStageFolder() throws {
        let dir = try E2EFixture.copy("basic", for: self)
        let (dead, live) = try temporaries(
            in: dir.appendingPathComponent("work/cohort"), dead: "triangle.jsonl", live: "triangle.jsonl")
        let r = try StageProcess.run("ingest", ["--config", "pipeline.json", "--make-vars"], cwd: dir)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: live.path))
    }

    func testStalenessWarnsOnlyPast45Days() {
        let coverage = [Manifest.Coverage(source: "subscriptions", first: "2024-01-01", last: "2024-11-16")]
        XCTAssertNil(DataWarnings.asOfOutsideData(asOf: Day(iso: "2024-12-31")!, coverage: coverage), "45 days")
        XCTAssertNotNil(DataWarnings.asOfOutsideData(asOf: Day(iso: "2025-01-01")!, coverage: coverage), "46 days")
        XCTAssertNil(DataWarnings.asOfOutsideData(asOf: Day(iso: "2025-01-01")!, coverage: []), "no dates at all")
        // Before the first subscription starts: nobody is a customer yet.
        XCTAssertNil(DataWarnings.asOfOutsideData(asOf: Day(iso: "2024-01-01")!, coverage: coverage), "first day")
        XCTAssertEqual(
            DataWarnings.asOfOutsideData(asOf: Day(iso: "2023-12-31")!, coverage: coverage)?.kind,
            .asOfBeforeData(asOf: Day(iso: "2023-12-31")!, first: Day(iso: "2024-01-01")!))
        let customersOnly = [Manifest.Coverage(source: "customers", first: "2024-01-01", last: "2024-11-16")]
        XCTAssertNil(
            DataWarnings.asOfOutsideData(asOf: Day(iso: "2023-12-31")!, coverage: customersOnly),
            "signups are not subscriptions")
    }

    func testCountsInMessagesAreGrouped() {
        XCTAssertEqual(NumberText.grouped(3000), "3,000")
        XCTAssertEqual(NumberText.grouped(999), "999")
        XCTAssertEqual(NumberText.grouped(1_234_567), "1,234,567")
        XCTAssertEqual(NumberText.grouped(0), "0")
    }

    func testSourceDateEpochResolvesTheDefaultAsOf() throws {
        setenv("SOURCE_DATE_EPOCH", "1717200000", 1)  // 2024-06-01T00:00:00Z
        defer { unsetenv("SOURCE_DATE_EPOCH") }
        let value = JSONValue.object([
            (
                "sources",
                .object([
                    ("customers", .object([("path", .string("c.csv"))])),
                    ("subscriptions", .object([("path", .string("s.csv"))])),
                ])
            )
        ])
        XCTAssertEqual(try PipelineConfig(value: value, file: "pipeline.json").asOf.description, "2024-05-31")
    }
}
