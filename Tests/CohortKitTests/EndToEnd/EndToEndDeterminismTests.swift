import Foundation
import XCTest

@testable import CohortKit

/// Same inputs and config give byte-identical outputs (docs/stages.md#determinism): across runs, across thread
/// counts, and rerunning one stage leaves the earlier stages' files alone.
final class EndToEndDeterminismTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try E2EFixture.copy("basic", for: self)
    }

    /// Every file under work/ and reports/, by relative path.
    private func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for top in ["work", "reports"] {
            let root = dir.appendingPathComponent(top)
            guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
            else { continue }
            for case let url as URL in e
            where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
                files[top + url.path.dropFirst(root.path.count)] = try Data(contentsOf: url)
            }
        }
        return files
    }

    /// Runs the whole pipeline from scratch in the same folder (paths recorded in manifests stay
    /// the same) and returns what it wrote.
    private func freshRun(_ extra: [String] = [], environment: [String: String] = [:]) throws -> [String: Data] {
        for top in ["work", "reports"] { try? FileManager.default.removeItem(at: dir.appendingPathComponent(top)) }
        try StageProcess.runAll(config: "pipeline.json", extra: extra, cwd: dir, environment: environment)
        return try snapshot()
    }

    /// Every file byte for byte: no output, manifest or report holds the wall-clock time.
    private func assertSame(
        _ a: [String: Data], _ b: [String: Data], _ what: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(Set(a.keys), Set(b.keys), "\(what): different file sets", file: file, line: line)
        XCTAssertGreaterThan(a.count, 20, "\(what): too few outputs to compare", file: file, line: line)
        for (path, x) in a {
            guard let y = b[path] else { continue }
            XCTAssertEqual(x, y, "\(what): \(path) differs", file: file, line: line)
        }
    }

    func testTwoRunsAreByteIdentical() throws {
        let first = try freshRun()
        let second = try freshRun()
        assertSame(first, second, "two runs")
        XCTAssertEqual(first["work/report/report.manifest.json"], second["work/report/report.manifest.json"])
    }

    func testThreadCountDoesNotChangeOutputs() throws {
        let one = try freshRun(["--threads", "1"])
        let many = try freshRun(["--threads", "4"])
        let auto = try freshRun()
        assertSame(one, many, "--threads 1 vs 4")
        assertSame(one, auto, "--threads 1 vs default")
    }

    /// Big inputs are cut into parts read on both cores; cutting even small files (the hidden
    /// `--debug-part-min-bytes 1`) must give the same bytes, read in parallel or one part after the other. Run on the
    /// hand-worked fixture and on a generated project, where products, plans and orphan customers
    /// first appear in a different order in each part.
    func testReadingInPartsDoesNotChangeOutputs() throws {
        let generated = FileManager.default.temporaryDirectory.appendingPathComponent("parts-\(UUID().uuidString)")
        _ = try SampleGenerator(customers: 400, seed: 11).write(to: generated.path)
        addTeardownBlock { try? FileManager.default.removeItem(at: generated) }
        for project in [dir!, generated] {
            dir = project
            let whole = try freshRun()
            let parts = try freshRun(["--debug-part-min-bytes", "1"])
            let partsInTurn = try freshRun(["--threads", "1", "--debug-part-min-bytes", "1"])
            assertSame(whole, parts, "\(project.lastPathComponent): whole files vs parts")
            assertSame(whole, partsInTurn, "\(project.lastPathComponent): whole files vs parts read in turn")
        }
    }

    /// The folder a stage runs from and how `--config` is spelled change no output: manifests
    /// record paths relative to the configuration's folder, the report names its files and the
    /// sources so, and a warning naming a source (an optional one missing here) does too.
    func testTheFolderStagesRunFromAndTheConfigsSpellingChangeNoOutput() throws {
        let config = dir.appendingPathComponent("pipeline.json")
        let text = try String(contentsOf: config, encoding: .utf8)
        XCTAssertTrue(text.contains("raw/events.jsonl"))
        try Data(text.replacingOccurrences(of: "raw/events.jsonl", with: "raw/missing-events.jsonl").utf8)
            .write(to: config)
        let here = try freshRun()
        XCTAssertTrue(
            String(decoding: here["work/ingest/ingest.manifest.json"] ?? Data(), as: UTF8.self)
                .contains("\"raw/missing-events.jsonl: the optional events file was not found"))
        func runFrom(_ cwd: URL, config: String) throws -> [String: Data] {
            for top in ["work", "reports"] { try? FileManager.default.removeItem(at: dir.appendingPathComponent(top)) }
            for r in try StageProcess.runAll(config: config, cwd: cwd) { XCTAssertEqual(r.exitCode, 0, r.stderr) }
            return try snapshot()
        }
        let parent = dir.deletingLastPathComponent()
        assertSame(
            here, try runFrom(parent, config: dir.lastPathComponent + "/pipeline.json"), "from the parent folder")
        assertSame(
            here, try runFrom(URL(fileURLWithPath: "/"), config: dir.path + "/./pipeline.json"),
            "from / with an absolute --config holding /./")
        // The folders the run from / created are found and removed by a clean from the parent.
        let clean = try StageProcess.run(
            "ingest", ["--config", dir.lastPathComponent + "/pipeline.json", "--clean"], cwd: parent)
        XCTAssertEqual(clean.exitCode, 0, clean.stderr)
        for top in ["work", "reports"] {
            XCTAssertFalse(
                FileManager.default.fileExists(atPath: dir.appendingPathComponent(top).path), "\(top)/: \(clean.stdout)"
            )
        }
    }

    /// Earlier versions recorded the folders a stage created as spelled from the folder it ran in
    /// (`project/work/ingest` from the parent): --clean from there still finds and removes them.
    func testCleanFindsFoldersRecordedFromAnotherFolderByEarlierVersions() throws {
        let parent = dir.deletingLastPathComponent()
        let name = dir.lastPathComponent
        for r in try StageProcess.runAll(config: name + "/pipeline.json", cwd: parent) {
            XCTAssertEqual(r.exitCode, 0, r.stderr)
        }
        let list = dir.appendingPathComponent("work/.config/folders.ingest")
        let lines = try Output.text(list).split(separator: "\n").map { "\(name)/\($0)" }
        XCTAssertTrue(lines.contains("\(name)/work"), "\(lines)")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: list)
        let clean = try StageProcess.run("ingest", ["--config", name + "/pipeline.json", "--clean"], cwd: parent)
        XCTAssertEqual(clean.exitCode, 0, clean.stderr)
        XCTAssertTrue(clean.stdout.contains("removed \(name)/work/"), clean.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("work").path), clean.stdout)
    }

    func testRerunningCohortLeavesEarlierStagesUntouched() throws {
        _ = try freshRun()
        let before = try snapshot()
        func modified(_ path: String) throws -> Date? {
            try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(path).path)[.modificationDate]
                as? Date
        }
        let earlier = before.keys.filter { $0.hasPrefix("work/ingest/") || $0.hasPrefix("work/normalize/") }
        XCTAssertGreaterThanOrEqual(earlier.count, 9)
        var dates: [String: Date?] = [:]
        for p in earlier { dates[p] = try modified(p) }
        // A later modification time would show even when the bytes are rewritten identically.
        Thread.sleep(forTimeInterval: 1.1)
        let r = try StageProcess.run("cohort", ["--config", "pipeline.json"], cwd: dir)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let after = try snapshot()
        for p in earlier {
            XCTAssertEqual(after[p], before[p], "\(p) changed")
            XCTAssertEqual(try modified(p), dates[p] ?? nil, "\(p) was rewritten")
        }
        for (p, d) in before where p.hasPrefix("work/cohort/") { XCTAssertEqual(after[p], d, "rerun changed \(p)") }
    }
}
