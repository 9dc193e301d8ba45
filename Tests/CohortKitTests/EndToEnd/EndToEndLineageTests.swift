import Foundation
import XCTest

@testable import CohortKit

/// A stage checks what it reads: each upstream file must be the one its manifest lists (digest
/// and size), computed with this run's as_of and settings; outputs commit as a set and leave no
/// temporaries behind; write faults end the stage with a message naming the file.
final class EndToEndLineageTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try E2EFixture.copy("basic", for: self)
    }

    private func run(_ stage: String, _ args: [String] = [], env: [String: String] = [:]) throws -> StageResult {
        try StageProcess.run(stage, ["--config", "pipeline.json"] + args, cwd: dir, environment: env)
    }

    private func url(_ p: String) -> URL { dir.appendingPathComponent(p) }

    /// Runs a bash command line in the project folder (for `ulimit`).
    private func shell(_ command: String) throws -> StageResult {
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("shell-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: err) }
        let h = try FileHandle(forWritingTo: err)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", command]
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = h
        try p.run()
        p.waitUntilExit()
        try h.close()
        return StageResult(
            exitCode: p.terminationStatus, stdout: "",
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self),
            signaled: p.terminationReason == .uncaughtSignal)
    }

    func testEveryManifestRecordsAsOfAndTheDigestAndSizeOfEachOutput() throws {
        try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        for stage in StageProcess.stages {
            let m = try Output.object(url("work/\(stage)/\(stage).manifest.json"))
            XCTAssertEqual(m["as_of"] as? String, "2024-04-30", stage)
            for o in m["outputs"] as? [[String: Any]] ?? [] {
                let path = try XCTUnwrap(o["path"] as? String)
                let data = try Data(contentsOf: url(path))
                XCTAssertEqual(o["bytes"] as? Int, data.count, "\(stage) \(path) size")
                XCTAssertEqual(o["sha256"] as? String, SHA256.hex(of: Array(data)), "\(stage) \(path) digest")
            }
        }
    }

    func testAnUpstreamAtAnotherAsOfIsRefusedNamingBothDates() throws {
        try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        let cohort = try run("cohort", ["--as-of", "2024-03-31"])
        assertUserMessage(
            cohort, exit: 1,
            mentions: [
                "normalize ran with as_of 2024-04-30 but this run uses 2024-03-31",
                "rerun from normalize with this run's as_of (2024-03-31: as_of in the configuration, or --as-of 2024-03-31 on each stage)",
                "run this stage with --as-of 2024-04-30",
            ],
            "cohort --as-of over a normalize at another date")
        // The same chain rerun at March: report with the config's April date refuses it.
        XCTAssertEqual(try run("normalize", ["--as-of", "2024-03-31"]).exitCode, 0)
        XCTAssertEqual(try run("cohort", ["--as-of", "2024-03-31"]).exitCode, 0)
        XCTAssertEqual(try run("churn-attribution", ["--as-of", "2024-03-31"]).exitCode, 0)
        let report = try run("report")
        assertUserMessage(
            report, exit: 1, mentions: ["2024-03-31", "2024-04-30", "--as-of 2024-03-31"], "report after cohort --as-of"
        )
        // The report takes its date from its inputs: at March it is labelled March.
        XCTAssertEqual(try run("report", ["--as-of", "2024-03-31"]).exitCode, 0)
        XCTAssertEqual(try Output.object(url("reports/summary.json"))["as_of"] as? String, "2024-03-31")
        // and it never relabels them.
        let relabel = try run("report", ["--as-of", "2024-02-29"])
        assertUserMessage(relabel, exit: 1, mentions: ["2024-03-31", "2024-02-29"], "report --as-of relabelling")
    }

    func testAnUpstreamWithOtherSettingsIsRefused() throws {
        try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        let text = try Output.text(url("pipeline.json")).replacingOccurrences(
            of: "\"grace_days\": 0", with: "\"grace_days\": 7")
        try Data(text.utf8).write(to: url("other.json"))
        let r = try StageProcess.run("cohort", ["--config", "other.json"], cwd: dir)
        assertUserMessage(
            r, exit: 1, mentions: ["normalize ran with normalize.grace_days = 0 but this run uses 7"],
            "cohort with other normalize settings")
    }

    func testAnOutputChangedAfterItsManifestIsRefused() throws {
        try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        // Same size, one byte different: only the digest tells.
        let kpis = url("work/cohort/kpis.json")
        var bytes = try Data(contentsOf: kpis)
        let i = try XCTUnwrap(bytes.firstIndex(of: UInt8(ascii: "1")))
        bytes[i] = UInt8(ascii: "2")
        try bytes.write(to: kpis)
        let r = try run("report")
        assertUserMessage(
            r, exit: 1, mentions: ["work/cohort/kpis.json does not match cohort's manifest", "rerun cohort"],
            "report over edited kpis")
        // Truncated (half-written): the size tells before anything is read.
        let intervals = url("work/normalize/intervals.jsonl")
        let data = try Data(contentsOf: intervals)
        try data.prefix(data.count / 2).write(to: intervals)
        for stage in ["cohort", "churn-attribution"] {
            assertUserMessage(
                try run(stage), exit: 1,
                mentions: ["work/normalize/intervals.jsonl does not match normalize's manifest"],
                "\(stage) over a truncated file")
        }
        XCTAssertEqual(try run("normalize").exitCode, 0)
        XCTAssertEqual(try run("cohort").exitCode, 0, "rerunning the producer repairs it")
    }

    /// A stage folder copied in from another run of the project (other data, so other digests)
    /// keeps its manifest and its times: every stage after it refuses the mix, naming the file,
    /// and `make` reruns the copied stage instead of trusting its times.
    func testAStageFolderFromAnotherRunIsRefusedAndRerunByMake() throws {
        /// The stages `make` will treat as not run (`PIPELINE_UNFINISHED` in the make state).
        func unfinished() throws -> String {
            XCTAssertEqual(try run("ingest", ["--make-vars"]).exitCode, 0)
            let mk = try Output.text(url("work/.config/make.mk"))
            let line = mk.split(separator: "\n").first { $0.hasPrefix("PIPELINE_UNFINISHED :=") } ?? ""
            return line.dropFirst("PIPELINE_UNFINISHED :=".count).trimmingCharacters(in: .whitespaces)
        }
        let other = try E2EFixture.copy("basic", for: self)
        let subs = other.appendingPathComponent("raw/subscriptions.csv")
        try (try Output.text(subs) + "S11,C3,core,pro,2024-02-10,,7000,\n").write(
            to: subs, atomically: true, encoding: .utf8)
        try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        try StageProcess.runAll(config: "pipeline.json", cwd: other)
        let fm = FileManager.default
        func swap(_ stage: String) throws {
            try fm.removeItem(at: url("work/\(stage)"))
            try fm.copyItem(at: other.appendingPathComponent("work/\(stage)"), to: url("work/\(stage)"))
        }
        // cohort from the other run, normalize and ingest from this one: the report combines
        // cohort's outputs with churn-attribution's (which does not read cohort's).
        try swap("cohort")
        XCTAssertEqual(try run("churn-attribution").exitCode, 0)
        assertUserMessage(
            try run("report"), exit: 1, mentions: ["cohort was computed from normalize/", "mixes two runs", "make"],
            "report over a cohort folder from another run")
        XCTAssertEqual(try unfinished(), "cohort report")
        // normalize too: now normalize was computed from another ingest.
        try swap("normalize")
        assertUserMessage(
            try run("cohort"), exit: 1, mentions: ["normalize was computed from ingest/", "mixes two runs"],
            "cohort over a normalize folder from another run")
        // Rerunning from the first mixed stage repairs the chain.
        for stage in ["normalize", "cohort", "churn-attribution", "report"] {
            XCTAssertEqual(try run(stage).exitCode, 0, stage)
        }
        XCTAssertEqual(try unfinished(), "")
        // The same data run twice is not a mix: identical outputs have identical digests.
        let same = try E2EFixture.copy("basic", for: self)
        try StageProcess.runAll(config: "pipeline.json", cwd: same)
        try fm.removeItem(at: url("work/cohort"))
        try fm.copyItem(at: same.appendingPathComponent("work/cohort"), to: url("work/cohort"))
        XCTAssertEqual(try run("report").exitCode, 0)
    }

    /// Manifests record paths as seen from the folder a stage ran in. Stages run from the project's
    /// folder and make's state written from its parent (make run from the repository with
    /// CONFIG=...) still agree that nothing is unfinished; a removed output still counts.
    func testUnfinishedStagesDoNotDependOnTheFolderTheStagesRanFrom() throws {
        try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        let parent = dir.deletingLastPathComponent()
        let config = dir.lastPathComponent + "/pipeline.json"
        func unfinished() throws -> String {
            XCTAssertEqual(
                try StageProcess.run("ingest", ["--config", config, "--make-vars"], cwd: parent).exitCode, 0)
            let mk = try Output.text(url("work/.config/make.mk"))
            let line = mk.split(separator: "\n").first { $0.hasPrefix("PIPELINE_UNFINISHED :=") } ?? ""
            return line.dropFirst("PIPELINE_UNFINISHED :=".count).trimmingCharacters(in: .whitespaces)
        }
        XCTAssertEqual(try unfinished(), "")
        try FileManager.default.removeItem(at: url("work/cohort/windows.jsonl"))
        try FileManager.default.removeItem(at: url("reports/history"))
        XCTAssertEqual(try unfinished(), "cohort report")
        // `--clean` from the parent removes what the stages wrote from the project's folder.
        let clean = try StageProcess.run("ingest", ["--config", config, "--clean"], cwd: parent)
        XCTAssertEqual(clean.exitCode, 0, clean.stderr)
        for f in [
            "reports/report.md", "reports/summary.json", "work/cohort/triangle.jsonl", "work/ingest/customers.jsonl",
        ] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: url(f).path), f)
        }
    }

    func testARecordedOutputIsFoundByItsPlaceNotByTheFolderItWasRecordedFrom() throws {
        let config = try PipelineConfig.load(path: url("pipeline.json").path, asOfOverride: nil)
        let work = config.workDir
        let reports = config.reportsDir
        XCTAssertEqual(
            PipelineMake.located("work/cohort/triangle.jsonl", stage: "cohort", config), "\(work)/cohort/triangle.jsonl"
        )
        XCTAssertEqual(
            PipelineMake.located("/elsewhere/w/normalize/customers.jsonl", stage: "normalize", config),
            "\(work)/normalize/customers.jsonl")
        XCTAssertEqual(PipelineMake.located("reports/report.md", stage: "report", config), "\(reports)/report.md")
        XCTAssertEqual(
            PipelineMake.located("x/reports/history/2024-12-31.json", stage: "report", config),
            "\(reports)/history/2024-12-31.json")
        // A path that is not in a stage's folder stays as recorded.
        XCTAssertEqual(PipelineMake.located("other/file.jsonl", stage: "cohort", config), "other/file.jsonl")
        XCTAssertEqual(PipelineMake.located("notes.txt", stage: "report", config), "notes.txt")
    }

    /// A customer twice in ingest's customers.jsonl (a hand-made file sealed into its manifest, as
    /// ingest never writes one) is a data error naming the file and line, not a second customer.
    func testACustomerTwiceInIngestOutputIsRefused() throws {
        XCTAssertEqual(try run("ingest").exitCode, 0)
        let customers = url("work/ingest/customers.jsonl")
        var data = try Data(contentsOf: customers)
        let firstLine = try XCTUnwrap(data.firstIndex(of: 10))
        data.append(data.prefix(through: firstLine))
        try data.write(to: customers)
        let manifestURL = url("work/ingest/ingest.manifest.json")
        var manifest = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
        var outputs = try XCTUnwrap(manifest["outputs"] as? [[String: Any]])
        let k = try XCTUnwrap(outputs.firstIndex { $0["name"] as? String == "customers" })
        let rows = try XCTUnwrap(outputs[k]["rows"] as? Int)
        outputs[k]["rows"] = rows + 1
        outputs[k]["bytes"] = data.count
        outputs[k]["sha256"] = SHA256.hex(of: Array(data))
        manifest["outputs"] = outputs
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
        assertUserMessage(
            try run("normalize"), exit: 1,
            mentions: [
                "work/ingest/customers.jsonl:\(rows + 1):", "customer_id C1 is on line 1 too", "rerun",
            ],
            "normalize over a repeated customer")
    }

    func testAnEditedTriangleWithANegativeOffsetIsRefusedNotACrash() throws {
        try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        // Same size, so only the digest (checked once the file is read) tells; the report must
        // read the row without trapping on its offset.
        let triangle = url("work/cohort/triangle.jsonl")
        let text = try Output.text(triangle)
        // `"offset":1,"month":"2022-08"` becomes `"offset":-1,"month":"2022-8"`: one byte longer,
        // one shorter.
        let pattern = #""offset":1,"month":"(\d{4})-0(\d)""#
        let range = try XCTUnwrap(text.range(of: pattern, options: .regularExpression))
        let edited = text[range].replacingOccurrences(
            of: pattern, with: #""offset":-1,"month":"$1-$2""#, options: .regularExpression)
        XCTAssertEqual(edited.utf8.count, text[range].utf8.count)
        try Data(text.replacingCharacters(in: range, with: edited).utf8).write(to: triangle)
        assertUserMessage(
            try run("report"), exit: 1, mentions: ["work/cohort/triangle.jsonl does not match cohort's manifest"],
            "report over a triangle row with offset -1")
    }

    func testStaleTemporariesOfDeadProcessesAreRemovedAtStart() throws {
        XCTAssertEqual(try run("ingest").exitCode, 0)
        let dead = url("work/normalize/.intervals.jsonl.tmp-999999999")
        let live = url("work/normalize/.intervals.jsonl.tmp-\(getpid())")
        let foreign = url("work/normalize/notes.tmp-1")
        try FileManager.default.createDirectory(at: url("work/normalize"), withIntermediateDirectories: true)
        for f in [dead, live, foreign] { try Data("x".utf8).write(to: f) }
        XCTAssertEqual(try run("normalize").exitCode, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead.path), "a dead run's temporary is removed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: live.path), "a running process's temporary is kept")
        XCTAssertTrue(FileManager.default.fileExists(atPath: foreign.path), "a file not named like a temporary is kept")
    }

    func testSIGTERMRemovesTemporaryFiles() throws {
        let project = FileManager.default.temporaryDirectory.appendingPathComponent("sigterm-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: project) }
        _ = try SampleGenerator(customers: 5_000, seed: 5).write(to: project.path)
        guard let exe = StageProcess.executable("ingest") else { return XCTFail("ingest not built") }
        let p = Process()
        p.executableURL = exe
        p.arguments = ["--config", "pipeline.json", "--quiet"]
        p.currentDirectoryURL = project
        p.standardError = FileHandle.nullDevice
        try p.run()
        let out = project.appendingPathComponent("work/ingest")
        func temporaries() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).filter { $0.contains(".tmp-") }
        }
        // Wait (without a clock) until the stage has its temporary files open.
        while p.isRunning && temporaries().isEmpty { usleep(1000) }
        guard p.isRunning else { throw XCTSkip("ingest finished before it could be signalled") }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal, "ingest re-raises SIGTERM")
        XCTAssertEqual(p.terminationStatus, SIGTERM)
        XCTAssertEqual(temporaries(), [], "temporaries removed on SIGTERM")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("ingest.manifest.json").path))
    }

    func testAFileSizeLimitEndsTheStageNamingTheFileAndKeepsPreviousOutputs() throws {
        try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        let before = try [
            "reports/report.html", "reports/report.md", "reports/summary.json", "work/report/report.manifest.json",
        ]
        .map { try Data(contentsOf: url($0)) }
        guard let exe = StageProcess.executable("report") else { return XCTFail("report not built") }
        // report.html is about 100 KB: a 50 KB limit stops it mid-write.
        let r = try shell("ulimit -f 50; exec '\(exe.path)' --config pipeline.json")
        assertUserMessage(r, exit: 1, mentions: ["reports/report.html", "file-size limit"], "report under ulimit -f")
        let after = try [
            "reports/report.html", "reports/report.md", "reports/summary.json", "work/report/report.manifest.json",
        ]
        .map { try Data(contentsOf: url($0)) }
        XCTAssertEqual(before, after, "previous outputs stay whole")
        let left = try FileManager.default.contentsOfDirectory(atPath: url("reports").path).filter {
            $0.contains(".tmp-")
        }
        XCTAssertEqual(left, [], "no temporaries left")
    }

    /// A stage reading an upstream output checks its XXH64 against the upstream manifest and
    /// records the SHA-256 listed with it: that of the very bytes it read.
    func testUpstreamOutputsAreCheckedByXXH64AndRecordedWithTheirSHA256() throws {
        try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        var checked = 0
        for stage in StageProcess.stages {
            let m = try Output.object(url("work/\(stage)/\(stage).manifest.json"))
            for o in m["outputs"] as? [[String: Any]] ?? [] {
                let path = try XCTUnwrap(o["path"] as? String)
                XCTAssertEqual(o["xxh64"] as? String, try XXH64.hex(ofFile: url(path).path), "\(stage) \(path)")
            }
            for i in m["inputs"] as? [[String: Any]] ?? [] {
                let path = try XCTUnwrap(i["path"] as? String)
                let data = try Data(contentsOf: url(path))
                XCTAssertEqual(i["sha256"] as? String, SHA256.hex(of: Array(data)), "\(stage) reads \(path)")
                if path.hasPrefix("work/") && path.hasSuffix(".jsonl") {
                    XCTAssertEqual(i["xxh64"] as? String, XXH64.hex(of: Array(data)), "\(stage) checks \(path)")
                    checked += 1
                } else {
                    XCTAssertNil(i["xxh64"], "\(stage): \(path) (a source, or read whole) is hashed with SHA-256")
                }
            }
        }
        XCTAssertGreaterThan(checked, 5, "the downstream stages check the upstream JSON Lines by XXH64")
    }

    /// One byte changed in a JSON Lines output, at the same size, is refused by each way a stage
    /// reads it (streamed, read in parts); a manifest without XXH64 values (an older tool's) is
    /// still checked, by SHA-256; and a wrong XXH64 is refused even beside the right SHA-256.
    func testAnEditedIntermediateIsRefusedWhicheverCheckItsManifestAllows() throws {
        try StageProcess.runAll(config: "pipeline.json", cwd: dir)
        func flipOneDigit(_ p: String) throws -> Data {
            let original = try Data(contentsOf: url(p))
            var bytes = original
            let i = try XCTUnwrap(bytes.lastIndex(of: UInt8(ascii: "1")))
            bytes[i] = UInt8(ascii: "2")
            try bytes.write(to: url(p))
            return original
        }
        // normalize reads ingest's customers and subscriptions in parts; churn-attribution streams
        // its cancellations.
        // The first case runs on one thread, where the digest is computed inline.
        for (stage, file, extra) in [
            ("normalize", "work/ingest/customers.jsonl", ["--threads", "1"]),
            ("normalize", "work/ingest/subscriptions.jsonl", []),
            ("churn-attribution", "work/ingest/cancellations.jsonl", []),
        ] {
            let original = try flipOneDigit(file)
            assertUserMessage(
                try run(stage, extra), exit: 1, mentions: ["\(file) does not match ingest's manifest"],
                "\(stage) \(extra) over an edited \(file)")
            try original.write(to: url(file))
            XCTAssertEqual(try run(stage).exitCode, 0, "\(stage) once \(file) is restored")
        }

        // The same manifest without its XXH64 values: checked by SHA-256, edited or not.
        let normalizeDir = url("work/normalize").path
        let manifest = try Manifest.read(stage: "normalize", directory: normalizeDir)
        var older = manifest
        for k in older.outputs.indices { older.outputs[k].xxh64 = nil }
        try older.write(toDirectory: normalizeDir)
        XCTAssertTrue(
            try Manifest.read(stage: "normalize", directory: normalizeDir).outputs.allSatisfy { $0.xxh64 == nil })
        XCTAssertEqual(try run("cohort").exitCode, 0, "an older manifest is read")
        let cohortManifest = try Output.object(url("work/cohort/cohort.manifest.json"))
        let intervals = try XCTUnwrap(
            (cohortManifest["inputs"] as? [[String: Any]])?.first {
                ($0["path"] as? String) == "work/normalize/intervals.jsonl"
            })
        XCTAssertNil(intervals["xxh64"], "hashed with SHA-256 when the manifest lists no XXH64")
        XCTAssertEqual(
            intervals["sha256"] as? String,
            SHA256.hex(of: Array(try Data(contentsOf: url("work/normalize/intervals.jsonl")))))
        let original = try flipOneDigit("work/normalize/intervals.jsonl")
        assertUserMessage(
            try run("cohort"), exit: 1,
            mentions: ["work/normalize/intervals.jsonl does not match normalize's manifest"],
            "cohort over an edited file, checked by SHA-256")
        try original.write(to: url("work/normalize/intervals.jsonl"))

        // The right SHA-256 beside a wrong XXH64: the XXH64 is what is checked.
        var wrong = manifest
        let k = try XCTUnwrap(wrong.outputs.firstIndex { $0.path.hasSuffix("intervals.jsonl") })
        XCTAssertNotNil(wrong.outputs[k].xxh64)
        wrong.outputs[k].xxh64 = "0000000000000000"
        try wrong.write(toDirectory: normalizeDir)
        assertUserMessage(
            try run("cohort"), exit: 1,
            mentions: ["work/normalize/intervals.jsonl does not match normalize's manifest"],
            "cohort with a wrong XXH64 in the manifest")
        try manifest.write(toDirectory: normalizeDir)
        XCTAssertEqual(try run("cohort").exitCode, 0, "the manifest as written")
    }

    func testTheConfigDigestDependsOnContentNotOnHowThePathIsWritten() throws {
        let absolute = try PipelineConfig.load(path: url("pipeline.json").path, asOfOverride: nil)
        let here = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(dir.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(here) }
        let relative = try PipelineConfig.load(path: "pipeline.json")
        let dotted = try PipelineConfig.load(path: "./raw/../pipeline.json")
        XCTAssertEqual(absolute.digest, relative.digest)
        XCTAssertEqual(absolute.digest, dotted.digest)
    }

    func testManifestsAreIdenticalAcrossRunsAndThreadCounts() throws {
        func fresh(_ extra: [String]) throws -> [String: Data] {
            for top in ["work", "reports"] { try? FileManager.default.removeItem(at: url(top)) }
            try StageProcess.runAll(config: "pipeline.json", extra: extra, cwd: dir)
            var out: [String: Data] = [:]
            for s in StageProcess.stages { out[s] = try Data(contentsOf: url("work/\(s)/\(s).manifest.json")) }
            for f in ["report.md", "report.html", "summary.json"] { out[f] = try Data(contentsOf: url("reports/\(f)")) }
            return out
        }
        let a = try fresh([])
        let b = try fresh([])
        let one = try fresh(["--threads", "1"])
        XCTAssertEqual(a, b, "two runs")
        XCTAssertEqual(a, one, "--threads 1 vs default")
    }
}
