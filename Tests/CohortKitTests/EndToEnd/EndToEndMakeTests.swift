import Foundation
import XCTest

@testable import CohortKit

/// `make CONFIG=...` follows the configuration: edits to any configured source rerun ingest and
/// everything after it, a defaulted as_of moving to a new month reruns the stages that use it,
/// nothing reruns when nothing changed, a breached check keeps its report, and `make clean`
/// removes only what the pipeline wrote.
final class EndToEndMakeTests: XCTestCase {
    var dir: URL!
    let all = ["churn-attribution", "cohort", "ingest", "normalize", "report"]

    override func setUpWithError() throws {
        dir = try E2EFixture.copy("basic", for: self)
    }

    private func make(
        _ goals: [String] = [], env: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line
    ) throws -> MakeProcess.Result {
        try MakeProcess.run(goals, cwd: dir, environment: env, file: file, line: line)
    }

    private func url(_ p: String) -> URL { dir.appendingPathComponent(p) }

    private func editConfig(_ change: (inout [String: Any]) -> Void) throws {
        try E2EFixture.editConfig(in: dir, change)
    }

    /// A configuration with a mistyped key is readable but refused: make says so and shows the
    /// stage's message (the key, the closest known one), not that the file cannot be read.
    func testARefusedConfigurationSaysWhyThroughMake() throws {
        try editConfig { cfg in
            var normalize = cfg["normalize"] as? [String: Any] ?? [:]
            normalize["grace_dayz"] = 3
            cfg["normalize"] = normalize
        }
        let r = try make()
        XCTAssertNotEqual(r.exitCode, 0, r.output)
        XCTAssertTrue(r.output.contains("normalize.grace_dayz"), r.output)
        XCTAssertTrue(r.output.contains("Did you mean \"grace_days\"?"), r.output)
        XCTAssertTrue(r.output.contains("the configuration pipeline.json was refused"), r.output)
        XCTAssertFalse(r.output.contains("cannot read the configuration"), r.output)
    }

    func testEditingAppendingDeletingOrAddingASourceRerunsIngestAndDownstream() throws {
        let first = try make()
        XCTAssertEqual(first.exitCode, 0, first.output)
        XCTAssertEqual(first.ran, all)
        XCTAssertEqual(try make().ran, [], "nothing changed")

        // Append a row.
        let subs = url("raw/subscriptions.csv")
        var text = try Output.text(subs)
        let last = text.split(separator: "\n").last.map(String.init) ?? ""
        text += last + "\n"
        try Data(text.utf8).write(to: subs)
        XCTAssertEqual(try make().ran, all, "appended subscriptions")
        XCTAssertEqual(try make().ran, [], "nothing changed after the append")

        // Edit in place, keeping the size.
        let cust = url("raw/customers.csv")
        try Data(try Output.text(cust).replacingOccurrences(of: "Kansai", with: "Kantou").utf8).write(to: cust)
        XCTAssertEqual(try make().ran, all, "edited customers")

        // Edit in place, keeping the size and putting the modification time back to the
        // nanosecond (as `touch -r` or a tool that preserves times does): same size, time, inode.
        var st = stat()
        XCTAssertEqual(stat(cust.path, &st), 0)
        let inode = st.st_ino
        try Data(try Output.text(cust).replacingOccurrences(of: "Kantou", with: "Kanton").utf8).write(to: cust)
        var times = [st.st_atim, st.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, cust.path, &times, 0), 0)
        var after = stat()
        XCTAssertEqual(stat(cust.path, &after), 0)
        XCTAssertEqual(
            [Int(after.st_size), after.st_mtim.tv_sec, after.st_mtim.tv_nsec, Int(after.st_ino)],
            [Int(st.st_size), st.st_mtim.tv_sec, st.st_mtim.tv_nsec, Int(inode)], "the edit is invisible but for ctime")
        XCTAssertEqual(try make().ran, all, "edited customers, modification time put back")

        // Delete an optional source, then add it back.
        let events = url("raw/events.jsonl")
        let away = url("events.saved")
        try FileManager.default.moveItem(at: events, to: away)
        let deleted = try make()
        XCTAssertEqual(deleted.ran, all, "deleted events")
        XCTAssertTrue(
            deleted.output.contains("raw/events.jsonl: the optional events file was not found"), deleted.output)
        XCTAssertEqual(try make().ran, [], "nothing changed after the delete")
        try FileManager.default.moveItem(at: away, to: events)
        XCTAssertEqual(try make().ran, all, "events added back")
        XCTAssertEqual(try make().ran, [], "nothing changed at the end")
    }

    func testDefaultedAsOfRerunsWhenTheMonthRollsOver() throws {
        try editConfig { $0.removeValue(forKey: "as_of") }
        let may20 = ["SOURCE_DATE_EPOCH": MakeProcess.epoch("2024-05-20")]
        let first = try make(env: may20)
        XCTAssertEqual(first.exitCode, 0, first.output)
        XCTAssertEqual(first.ran, all)
        XCTAssertEqual(try Output.object(url("reports/summary.json"))["as_of"] as? String, "2024-04-30")
        // The same month: the stages' as_of holds; only the report's footer (its run time) moves.
        XCTAssertEqual(
            try make(env: ["SOURCE_DATE_EPOCH": MakeProcess.epoch("2024-05-31")]).ran, ["report"], "same month")
        XCTAssertTrue(try Output.text(url("reports/report.md")).contains("Generated 2024-05-31T00:00:00Z"))
        let june = try make(env: ["SOURCE_DATE_EPOCH": MakeProcess.epoch("2024-06-01")])
        XCTAssertEqual(june.ran, ["churn-attribution", "cohort", "normalize", "report"], "ingest does not read as_of")
        XCTAssertEqual(try Output.object(url("reports/summary.json"))["as_of"] as? String, "2024-05-31")
        // SOURCE_DATE_EPOCH is the report's run time.
        XCTAssertTrue(try Output.text(url("reports/report.md")).contains("Generated 2024-06-01T00:00:00Z"))
    }

    /// A stage rerun by hand at another `--as-of` is rerun by the next make at the configuration's
    /// (before, make saw nothing to do for it and the next stage stopped on the lineage check).
    func testAStageRunByHandAtAnotherAsOfIsRerunByMake() throws {
        XCTAssertEqual(try make().ran, all)
        let byHand = try StageProcess.run(
            "normalize", ["--config", "pipeline.json", "--as-of", "2024-03-31"], cwd: dir)
        XCTAssertEqual(byHand.exitCode, 0, byHand.stderr)
        let again = try make()
        XCTAssertEqual(again.exitCode, 0, again.output)
        XCTAssertEqual(again.ran, ["churn-attribution", "cohort", "normalize", "report"])
        XCTAssertEqual(try make().ran, [], "settled")
        XCTAssertEqual(try Output.object(url("reports/summary.json"))["as_of"] as? String, "2024-04-30")
    }

    /// A source edited while ingest reads the files, and a second `make` (here `make -n`) that
    /// reads the configuration before ingest ends: that make records the edited state, so the
    /// state file is older than ingest's outputs. The next make still reruns ingest: ingest
    /// recorded the state it read, and the source is not in it any more.
    func testASourceEditedWhileIngestRanIsReadByTheNextMake() throws {
        XCTAssertEqual(try make().ran, all)
        let cust = url("raw/customers.csv")
        let added = "C9999,2024-02-01,web,Kanto\n"
        try Data((try Output.text(cust) + added).utf8).write(to: cust)
        XCTAssertEqual(try make(["-n"]).exitCode, 0)
        // Ingest, and the stages after it, finish after that second look: the state it wrote is
        // older than every output.
        try FileManager.default.setAttributes(
            [.modificationDate: Date() - 3600], ofItemAtPath: url("work/.config/sources.state").path)
        let next = try make()
        XCTAssertEqual(next.ran, all, next.output)
        XCTAssertTrue(try Output.text(url("work/normalize/customers.jsonl")).contains("\"C9999\""))
        XCTAssertEqual(try make().ran, [], "settled")
    }

    /// Every stage folder copied in from a run on other raw data: each manifest agrees with its
    /// neighbours and with the configuration, and the sources did not change, but the ingest
    /// manifest is not the one ingest wrote here, so make reruns everything from ingest.
    func testStageFoldersCopiedFromARunOnOtherDataAreRerun() throws {
        XCTAssertEqual(try make().ran, all)
        let summary = try Output.text(url("reports/summary.json"))
        // The other project: the same configuration, one subscription fewer.
        let other = try E2EFixture.copy("basic", for: self)
        let subs = other.appendingPathComponent("raw/subscriptions.csv")
        let lines = try Output.text(subs).split(separator: "\n", omittingEmptySubsequences: false)
        try Data((lines.dropLast(2).joined(separator: "\n") + "\n").utf8).write(to: subs)
        XCTAssertEqual(try MakeProcess.run(cwd: other).exitCode, 0)
        for stage in all {
            try FileManager.default.removeItem(at: url("work/\(stage)"))
            try FileManager.default.copyItem(
                at: other.appendingPathComponent("work/\(stage)"), to: url("work/\(stage)"))
        }
        let next = try make()
        XCTAssertEqual(next.ran, all, next.output)
        XCTAssertEqual(try Output.text(url("reports/summary.json")), summary, "this project's numbers again")
        XCTAssertEqual(try make().ran, [], "settled")
    }

    /// A BIN given on the command line or in the environment is used as it is: sources newer
    /// than its binaries do not make `make` build (into .build/release) and then touch them as
    /// if they were rebuilt.
    func testABinGivenIsNeverRebuilt() throws {
        let newer = url("newer.swift")
        try Data("// newer than the binaries\n".utf8).write(to: newer)
        for inEnvironment in [false, true] {
            let plan = try MakeProcess.run(
                ["-n", "SWIFT_SOURCES=\(newer.path)"], cwd: dir, binInEnvironment: inEnvironment)
            XCTAssertEqual(plan.exitCode, 0, plan.output)
            XCTAssertFalse(plan.output.contains("swift build"), plan.output)
            XCTAssertFalse(plan.output.contains("touch "), plan.output)
            XCTAssertTrue(plan.output.contains("/ingest --config"), plan.output)
        }
    }

    /// The report's footer shows SOURCE_DATE_EPOCH when it is set: make reruns the report when
    /// the variable changes, or when a report run by hand used another value.
    func testAChangedSourceDateEpochRerunsOnlyTheReport() throws {
        XCTAssertEqual(try make().ran, all)
        let epoch = ["SOURCE_DATE_EPOCH": MakeProcess.epoch("2025-01-01")]
        let stamped = try make(env: epoch)
        XCTAssertEqual(stamped.ran, ["report"], stamped.output)
        XCTAssertTrue(try Output.text(url("reports/report.html")).contains("2025-01-01T00:00:00Z"))
        XCTAssertEqual(try make(env: epoch).ran, [], "settled")
        XCTAssertEqual(try make().ran, ["report"], "unset again")
        XCTAssertFalse(try Output.text(url("reports/report.html")).contains("2025-01-01T00:00:00Z"))
        // By hand with the variable, then make without it.
        let r = try StageProcess.run("report", ["--config", url("pipeline.json").path], environment: epoch)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(try make().ran, ["report"])
        XCTAssertFalse(try Output.text(url("reports/report.html")).contains("2025-01-01T00:00:00Z"))
        XCTAssertEqual(try make().ran, [], "settled")
    }

    /// A source edited after a full run, then only the report run by hand: the report says its
    /// numbers are from the data as ingest read it (and which source's size moved).
    func testAReportRunByHandAfterASourceEditSaysTheDataChanged() throws {
        XCTAssertEqual(try make().ran, all)
        let report = try Output.text(url("reports/report.md"))
        XCTAssertFalse(report.contains("The sources changed after ingest read them"))
        let subs = url("raw/subscriptions.csv")
        let text = try Output.text(subs)
        try Data((text + (text.split(separator: "\n").last.map(String.init) ?? "") + "\n").utf8).write(to: subs)
        let r = try StageProcess.run("report", ["--config", url("pipeline.json").path])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("The sources changed after ingest read them"), r.stderr)
        let edited = try Output.text(url("reports/report.md"))
        XCTAssertTrue(edited.contains("The sources changed after ingest read them"), edited)
        XCTAssertTrue(edited.contains("raw/subscriptions.csv\\: "), edited)
        XCTAssertEqual(try make().ran, all, "make refreshes every stage")
        XCTAssertFalse(try Output.text(url("reports/report.md")).contains("The sources changed after ingest read them"))
    }

    /// reports_dir pointed elsewhere (a name of the same length, so the files' sizes match) with
    /// another title, then back: the files in reports/ are the first run's, so the report reruns.
    func testReportsDirPointedAwayAndBackRerunsTheReport() throws {
        XCTAssertEqual(try make().ran, all)
        try editConfig {
            $0["reports_dir"] = "archive"
            var report = $0["report"] as? [String: Any] ?? [:]
            report["title"] = "E2E other"
            $0["report"] = report
        }
        XCTAssertEqual(try make().ran, ["report"])
        try editConfig { $0["reports_dir"] = "reports" }
        let back = try make()
        XCTAssertEqual(back.ran, ["report"], back.output)
        XCTAssertTrue(try Output.text(url("reports/report.md")).hasPrefix("# E2E other"))
        XCTAssertEqual(try make().ran, [], "settled")
    }

    /// A format taken out of report.formats loses its page, which would show the old numbers.
    func testAFormatNoLongerConfiguredLeavesNoStalePage() throws {
        XCTAssertEqual(try make().ran, all)
        XCTAssertTrue(FileManager.default.fileExists(atPath: url("reports/report.html").path))
        try editConfig {
            var report = $0["report"] as? [String: Any] ?? [:]
            report["formats"] = ["md"]
            $0["report"] = report
        }
        XCTAssertEqual(try make().ran, ["report"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: url("reports/report.html").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: url("reports/report.md").path))
        // A page the pipeline did not write (or one edited since) is the user's: it stays.
        try Data("mine".utf8).write(to: url("reports/report.html"))
        try editConfig {
            var report = $0["report"] as? [String: Any] ?? [:]
            report["title"] = "E2E md only"
            $0["report"] = report
        }
        XCTAssertEqual(try make().ran, ["report"])
        XCTAssertEqual(try Output.text(url("reports/report.html")), "mine")
    }

    /// cohort reads no ingest output, but what it reads was priced with ingest's rates: run by
    /// hand after a rate change, it refuses instead of rewriting everything at the old rate.
    func testCohortRunByHandRefusesAChainPricedWithOtherRates() throws {
        XCTAssertEqual(try make().ran, all)
        try editConfig {
            var currency = $0["currency"] as? [String: Any] ?? [:]
            currency["rates"] = ["USD": 1.0]
            $0["currency"] = currency
        }
        let before = try Data(contentsOf: url("work/cohort/kpis.json"))
        let byHand = try StageProcess.run("cohort", ["--config", "pipeline.json"], cwd: dir)
        assertUserMessage(
            byHand, exit: 1, mentions: ["ingest ran with currency.rates.USD = 150", "this run uses 1"],
            "cohort over an ingest run with another rate")
        XCTAssertEqual(try Data(contentsOf: url("work/cohort/kpis.json")), before, "nothing rewritten")
        XCTAssertEqual(try make().ran, all)
    }

    func testConfigSettingChangeRerunsOnlyTheStagesThatReadIt() throws {
        try editConfig { _ in }  // the same settings, written as JSONSerialization writes them
        XCTAssertEqual(try make().ran, all)
        try editConfig { cfg in
            var report = cfg["report"] as? [String: Any] ?? [:]
            report["title"] = "Another title"
            cfg["report"] = report
        }
        XCTAssertEqual(try make().ran, ["report"])
    }

    /// The same configuration named by its absolute path from another folder is the same run:
    /// nothing reruns (the sources' state is recorded by the paths the configuration writes).
    func testTheSameConfigurationNamedFromAnotherFolderRerunsNothing() throws {
        XCTAssertEqual(try make().ran, all)
        let elsewhere = try MakeProcess.run(
            cwd: FileManager.default.temporaryDirectory, config: url("pipeline.json").path)
        XCTAssertEqual(elsewhere.ran, [], elsewhere.output)
        XCTAssertEqual(try make().ran, [])
    }

    func testBreachedCheckFailsMakeAndKeepsTheReport() throws {
        try editConfig { cfg in
            var report = cfg["report"] as? [String: Any] ?? [:]
            report["checks"] = [["metric": "logo_churn_monthly", "max": 0.01]]
            cfg["report"] = report
        }
        let breached = try make()
        // make's own failure status, as the README says; the message names the stage's 3.
        XCTAssertEqual(breached.exitCode, 2, breached.output)
        XCTAssertTrue(breached.output.contains("a report check is breached (exit 3)"), breached.output)
        for f in [
            "work/report/report.manifest.json", "reports/summary.json", "reports/report.md", "reports/report.html",
        ] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: url(f).path), "\(f) kept after a breach")
        }
        // The next make reruns nothing and fails again: the kept summary says a check is breached.
        for target in [[], ["report"]] {
            let again = try make(target)
            XCTAssertEqual(again.ran, [], again.output)
            XCTAssertNotEqual(again.exitCode, 0, again.output)
            XCTAssertTrue(again.output.contains("a report check is breached (exit 3)"), again.output)
        }
        // Loosening the check reruns the report only, and make succeeds from then on.
        try editConfig { cfg in
            var report = cfg["report"] as? [String: Any] ?? [:]
            report["checks"] = [["metric": "logo_churn_monthly", "max": 1.0]]
            cfg["report"] = report
        }
        let fixed = try make()
        XCTAssertEqual(fixed.ran, ["report"], fixed.output)
        XCTAssertEqual(fixed.exitCode, 0, fixed.output)
        let quiet = try make()
        XCTAssertEqual(quiet.ran, [], quiet.output)
        XCTAssertEqual(quiet.exitCode, 0, quiet.output)
        XCTAssertEqual(quiet.output.trimmingCharacters(in: .whitespacesAndNewlines), "", "nothing to do, nothing said")
    }

    /// A CONFIG that does not exist is named as such, with the hint, before anything runs.
    func testAMissingConfigurationIsNamed() throws {
        let r = try MakeProcess.run([], cwd: dir, config: "nowhere/pipeline.json")
        XCTAssertNotEqual(r.exitCode, 0, r.output)
        XCTAssertTrue(r.output.contains("the configuration nowhere/pipeline.json does not exist"), r.output)
        XCTAssertTrue(r.output.contains("pass CONFIG=path/to/pipeline.json"), r.output)
        XCTAssertEqual(r.ran, [])
    }

    func testAnOutputNewerThanItsManifestRerunsTheStage() throws {
        XCTAssertEqual(try make().ran, all)
        // What a run killed between its renames leaves: one new output beside the old manifest.
        let path = url("work/ingest/customers.jsonl")
        let original = try Data(contentsOf: path)
        try Data(String(decoding: original, as: UTF8.self).replacingOccurrences(of: "web", with: "wab").utf8).write(
            to: path)
        let byHand = try StageProcess.run("normalize", ["--config", "pipeline.json"], cwd: dir)
        assertUserMessage(
            byHand, exit: 1,
            mentions: ["work/ingest/customers.jsonl does not match ingest's manifest", "rerun ingest"],
            "normalize over a half-committed ingest")
        let repaired = try make()
        XCTAssertEqual(repaired.ran, all, repaired.output)
        XCTAssertEqual(try Data(contentsOf: path), original, "ingest rewrote its output")
        XCTAssertEqual(try StageProcess.run("normalize", ["--config", "pipeline.json"], cwd: dir).exitCode, 0)
    }

    func testAStageKilledBetweenItsRenamesIsRepairedByTheNextMake() throws {
        XCTAssertEqual(try make().ran, all)
        let before = try Data(contentsOf: url("work/ingest/customers.jsonl"))
        // Another project's ingest into the same work_dir dies after renaming rejects and customers.
        let text = try Output.text(url("pipeline.json"))
            .replacingOccurrences(
                of: "\"path\": \"raw/customers.csv\", \"format\": \"csv\"",
                with:
                    "\"path\": \"raw/customers.csv\", \"format\": \"csv\", \"columns\": {\"acquisition_channel\": \"region\"}"
            )
        try Data(text.utf8).write(to: url("other.json"))
        let killed = try StageProcess.run(
            "ingest", ["--config", "other.json", "--debug-kill-after-renames", "2"], cwd: dir)
        XCTAssertTrue(killed.signaled, "ingest was killed: \(killed.stderr)")
        XCTAssertNotEqual(
            try Data(contentsOf: url("work/ingest/customers.jsonl")), before,
            "a new customers.jsonl beside the old manifest")
        XCTAssertFalse(
            try FileManager.default.contentsOfDirectory(atPath: url("work/ingest").path).filter { $0.contains(".tmp-") }
                .isEmpty,
            "kill -9 leaves temporaries")
        let byHand = try StageProcess.run("normalize", ["--config", "pipeline.json"], cwd: dir)
        assertUserMessage(
            byHand, exit: 1, mentions: ["work/ingest/customers.jsonl does not match ingest's manifest"],
            "normalize after a killed ingest")
        let repaired = try make()
        XCTAssertEqual(repaired.ran, all, repaired.output)
        XCTAssertEqual(try Data(contentsOf: url("work/ingest/customers.jsonl")), before, "ingest rewrote the whole set")
        let temporaries = try FileManager.default.contentsOfDirectory(atPath: url("work/ingest").path).filter {
            $0.contains(".tmp-")
        }
        XCTAssertEqual(temporaries, [], "the killed run's temporaries are cleaned")
        XCTAssertEqual(try make().ran, [])
    }

    func testAMissingOrResizedOutputRerunsItsStageAndTheStagesAfterIt() throws {
        XCTAssertEqual(try make().ran, all)
        try FileManager.default.removeItem(at: url("work/cohort/windows.jsonl"))
        XCTAssertEqual(try make().ran, ["cohort", "report"], "a deleted output")
        XCTAssertEqual(try make().ran, [])
        let segments = url("work/churn-attribution/segments.jsonl")
        let data = try Data(contentsOf: segments)
        let old = try FileManager.default.attributesOfItem(atPath: segments.path)[.modificationDate] as? Date
        try data.prefix(10).write(to: segments)
        // Resized but dated as before (as `cp -p` or a restore would leave it).
        try FileManager.default.setAttributes(
            [.modificationDate: old ?? Date(timeIntervalSince1970: 0)], ofItemAtPath: segments.path)
        XCTAssertEqual(try make().ran, ["churn-attribution", "report"], "a resized output")
    }

    /// Two configurations sharing one reports_dir (each with its own work_dir) keep apart in its
    /// history: neither compares with the other's run, and cleaning one keeps the other's record.
    func testTwoPipelinesSharingAReportsFolderKeepTheirHistoriesApart() throws {
        let a = try Output.object(url("pipeline.json"))
        var b = a
        b["work_dir"] = "workB"
        try JSONSerialization.data(withJSONObject: b, options: [.prettyPrinted, .sortedKeys]).write(to: url("b.json"))
        XCTAssertEqual(try make().exitCode, 0)
        let history = url("reports/history/2024-04-30.json")
        XCTAssertEqual(try Output.object(history)["work_dir"] as? String, "work")
        let runB = try MakeProcess.run(cwd: dir, config: "b.json")
        XCTAssertEqual(runB.exitCode, 0, runB.output)
        // B's report read no history of A's: its manifest lists no history input.
        func historyInputs(_ work: String) throws -> [String] {
            let m = try Output.object(url("\(work)/report/report.manifest.json"))
            return ((m["inputs"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String }
                .filter { $0.contains("history/") }
        }
        XCTAssertEqual(try historyInputs("workB"), [])
        XCTAssertEqual(try Output.object(history)["work_dir"] as? String, "workB")
        // A's rerun (its report is stale: the shared page is B's now) does not compare with B's run.
        try FileManager.default.removeItem(at: url("work/report/report.manifest.json"))
        XCTAssertEqual(try make().exitCode, 0)
        XCTAssertEqual(try historyInputs("work"), [])
        // Its own record it does compare with.
        try FileManager.default.removeItem(at: url("work/report/report.manifest.json"))
        XCTAssertEqual(try make().exitCode, 0)
        XCTAssertEqual(try historyInputs("work"), ["reports/history/2024-04-30.json"])
        // Cleaning B keeps A's record (and so the folder).
        let clean = try MakeProcess.run(["clean"], cwd: dir, config: "b.json")
        XCTAssertEqual(clean.exitCode, 0, clean.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: history.path), clean.output)
        XCTAssertEqual(try Output.object(history)["work_dir"] as? String, "work")
    }

    func testCleanRemovesOnlyWhatThePipelineWrote() throws {
        // work_dir points at a folder that exists already, with a file of the user's in it.
        let existing = url("existing")
        try FileManager.default.createDirectory(at: existing, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: existing.appendingPathComponent("notes.txt"))
        try FileManager.default.createDirectory(at: url("reports"), withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: url("reports/keep.md"))
        try editConfig { $0["work_dir"] = "existing" }
        XCTAssertEqual(try make().exitCode, 0)
        try Data("stale".utf8).write(to: existing.appendingPathComponent("cohort/.kpis.json.tmp-999999999"))
        let clean = try make(["clean"])
        XCTAssertEqual(clean.exitCode, 0, clean.output)
        XCTAssertTrue(clean.output.contains("removed existing/ingest/customers.jsonl"), clean.output)
        // The count is of the lines above it: files, and folders (ending in "/").
        let lines = clean.output.split(separator: "\n").filter { $0.hasPrefix("removed ") }
        let folders = lines.filter { $0.hasSuffix("/") }.count
        XCTAssertTrue(
            clean.output.contains("clean: removed \(lines.count - folders) files and \(folders) folders"), clean.output)
        XCTAssertTrue(clean.output.contains("removed reports/report.html"), clean.output)
        // A dead writer's temporary (make's look at the configuration, before clean, removes it).
        XCTAssertFalse(
            FileManager.default.fileExists(
                atPath: existing.appendingPathComponent("cohort/.kpis.json.tmp-999999999").path))
        XCTAssertEqual(try Output.text(existing.appendingPathComponent("notes.txt")), "mine")
        XCTAssertEqual(try Output.text(url("reports/keep.md")), "mine")
        let left = try FileManager.default.contentsOfDirectory(atPath: existing.path)
        XCTAssertEqual(left, ["notes.txt"], "only the user's file is left in work_dir")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: url("reports").path), ["keep.md"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: url("raw/customers.csv").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: url("pipeline.json").path))
    }

    /// `reports_dir` is shared with the user: a report page edited since the run, and a file named
    /// like a history record that is none, are kept and named; the run's own history record and
    /// unchanged pages go.
    func testCleanKeepsReportFilesChangedSinceOrNotWrittenByThePipeline() throws {
        XCTAssertEqual(try make().exitCode, 0)
        let page = url("reports/report.md")
        try Data((try Output.text(page) + "\nmy notes\n").utf8).write(to: page)
        let mine = url("reports/history/2020-02-29.json")
        try Data(#"{"mine": 1}"#.utf8).write(to: mine)
        let history = try FileManager.default.contentsOfDirectory(atPath: url("reports/history").path)
            .filter { $0 != "2020-02-29.json" }
        XCTAssertEqual(history.count, 1, "the run's own history record")
        let clean = try make(["clean"])
        XCTAssertEqual(clean.exitCode, 0, clean.output)
        XCTAssertTrue(clean.output.contains("removed reports/report.html"), clean.output)
        XCTAssertTrue(clean.output.contains("removed reports/history/\(history[0])"), clean.output)
        XCTAssertFalse(clean.output.contains("removed reports/report.md"), clean.output)
        XCTAssertTrue(clean.output.contains("kept reports/history/2020-02-29.json, reports/report.md"), clean.output)
        XCTAssertTrue(try Output.text(page).hasSuffix("my notes\n"))
        XCTAssertEqual(try Output.text(mine), #"{"mine": 1}"#)
    }

    /// `reports_dir/history/` is the user's folder too. A named pipe there made make's look at the
    /// report's outputs, the report and `make clean` wait forever in its open; a link to
    /// /dev/zero made them read until memory ran out. They are skipped: the report names the file
    /// and why on stderr and writes its record in the record's place, and `make clean` keeps
    /// them and names them.
    func testAPipeOrDeviceInTheHistoryFolderIsSkippedWithANoteAndBlocksNothing() throws {
        XCTAssertEqual(try make().exitCode, 0)
        let record = url("reports/history/2024-04-30.json")
        let older = url("reports/history/2024-04-29.json")
        try FileManager.default.removeItem(at: record)
        try FIFORelease.make(record.path)
        try FIFORelease.make(older.path)
        let (rerun, released) = try FIFORelease.run(releasing: [record.path, older.path]) { try make() }
        XCTAssertFalse(released, "a history file was read by opening a named pipe: \(rerun.output)")
        XCTAssertEqual(rerun.exitCode, 0, rerun.output)
        XCTAssertEqual(rerun.ran, ["report"], rerun.output)
        for date in ["2024-04-30", "2024-04-29"] {
            XCTAssertTrue(
                rerun.output.contains(
                    "reports/history/\(date).json is a named pipe (FIFO), not a regular file: skipped; the drift alerts compare with an earlier history record, if any."
                ), rerun.output)
        }
        XCTAssertTrue(FilePaths.isRegularFile(record.path))
        XCTAssertEqual(try Output.object(record)["as_of"] as? String, "2024-04-30")
        // Only once a named pipe is known not to be opened: a missing check would read /dev/zero
        // until memory ran out.
        guard !released else { return }

        try FileManager.default.removeItem(at: record)
        try FileManager.default.createSymbolicLink(atPath: record.path, withDestinationPath: "/dev/zero")
        let device = try make()
        XCTAssertEqual(device.exitCode, 0, device.output)
        XCTAssertEqual(device.ran, ["report"], device.output)
        XCTAssertTrue(
            device.output.contains(
                "reports/history/2024-04-30.json is a character device, not a regular file: skipped"),
            device.output)
        XCTAssertTrue(FilePaths.isRegularFile(record.path))

        let zero = url("reports/history/2024-04-28.json")
        try FileManager.default.createSymbolicLink(atPath: zero.path, withDestinationPath: "/dev/zero")
        let (clean, releasedByClean) = try FIFORelease.run(releasing: [older.path]) { try make(["clean"]) }
        XCTAssertFalse(releasedByClean, "make clean opened a named pipe: \(clean.output)")
        XCTAssertEqual(clean.exitCode, 0, clean.output)
        XCTAssertTrue(clean.output.contains("removed reports/history/2024-04-30.json"), clean.output)
        XCTAssertTrue(
            clean.output.contains("kept reports/history/2024-04-28.json, reports/history/2024-04-29.json"), clean.output
        )
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: zero.path), "/dev/zero")
        XCTAssertEqual(FilePaths.specialFileKind(older.path), "a named pipe (FIFO)")
    }

    func testCleanRemovesTheFoldersItCreated() throws {
        XCTAssertEqual(try make().exitCode, 0)
        XCTAssertEqual(try make(["clean"]).exitCode, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: url("work").path), "work/ was created by the pipeline")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: url("reports").path), "reports/ was created by the pipeline")
        XCTAssertTrue(FileManager.default.fileExists(atPath: url("raw").path))
    }
}
