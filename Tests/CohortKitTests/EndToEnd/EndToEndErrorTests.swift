import Foundation
import XCTest

/// Exit codes and messages of the stage executables (docs/stages.md#exit-codes): 0 success, 1 data error, 2 usage
/// or configuration error, 3 threshold breached; every message one paragraph that says what to
/// do, never a stack trace.
final class EndToEndErrorTests: XCTestCase {
    var dir: URL!
    var config: URL { dir.appendingPathComponent("pipeline.json") }

    override func setUpWithError() throws {
        dir = try E2EFixture.copy("basic", for: self)
    }

    private func run(_ stage: String, _ args: [String]) throws -> StageResult {
        try StageProcess.run(stage, args, cwd: dir)
    }

    private func write(_ name: String, _ text: String) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    private func move(_ path: String, aside: Bool) throws {
        let url = dir.appendingPathComponent(path)
        let away = dir.appendingPathComponent(path + ".away")
        if aside {
            try FileManager.default.moveItem(at: url, to: away)
        } else {
            try FileManager.default.moveItem(at: away, to: url)
        }
    }

    func testMissingRawSourceIsADataError() throws {
        try move("raw/customers.csv", aside: true)
        let r = try run("ingest", ["--config", "pipeline.json"])
        assertUserMessage(r, exit: 1, mentions: ["raw/customers.csv", "customers"], "ingest, customers.csv missing")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("work/ingest/ingest.manifest.json").path),
            "a failed ingest must leave no manifest")
    }

    func testMissingUpstreamManifestNamesTheStageToRun() throws {
        // Nothing has run yet: each later stage names the manifest it lacks and the stage to run.
        for (stage, upstream) in [
            ("normalize", "ingest"), ("cohort", "normalize"), ("churn-attribution", "normalize"), ("report", "cohort"),
        ] {
            let r = try run(stage, ["--config", "pipeline.json"])
            assertUserMessage(
                r, exit: 1, mentions: ["\(upstream).manifest.json", upstream], "\(stage) before \(upstream)")
        }
    }

    func testMissingUpstreamDataFileIsADataError() throws {
        try StageProcess.runAll(config: config.path)
        // The manifest is there but a file it lists is gone.
        let cases: [(stage: String, file: String)] = [
            ("normalize", "work/ingest/subscriptions.jsonl"),
            ("cohort", "work/normalize/intervals.jsonl"),
            ("churn-attribution", "work/normalize/intervals.jsonl"),
            ("report", "work/cohort/triangle.jsonl"),
        ]
        for c in cases {
            try move(c.file, aside: true)
            let r = try run(c.stage, ["--config", "pipeline.json"])
            assertUserMessage(r, exit: 1, mentions: [c.file], "\(c.stage) without \(c.file)")
            try move(c.file, aside: false)
        }
    }

    func testMalformedConfigNamesFileAndLine() throws {
        // Line 4 lacks the comma after line 3's value.
        let bad = try write(
            "broken.json", "{\n  \"version\": 1,\n  \"as_of\": \"2024-04-30\"\n  \"work_dir\": \"work\"\n}\n")
        for stage in StageProcess.stages {
            let r = try run(stage, ["--config", bad.lastPathComponent])
            assertUserMessage(r, exit: 2, mentions: ["broken.json", "line 4"], "\(stage) with a JSON syntax error")
        }
    }

    func testUnknownConfigKeyIsNamedWithASuggestion() throws {
        let text = try Output.text(config).replacingOccurrences(of: "\"grace_days\"", with: "\"grace_dayz\"")
        let typo = try write("typo.json", text)
        for stage in StageProcess.stages {
            let r = try run(stage, ["--config", typo.lastPathComponent])
            assertUserMessage(
                r, exit: 2, mentions: ["typo.json", "grace_dayz", "grace_days"], "\(stage) with an unknown key")
        }
    }

    func testMissingConfigFile() throws {
        let r = try run("cohort", ["--config", "nowhere.json"])
        assertUserMessage(r, exit: 2, mentions: ["nowhere.json"], "cohort with a missing config")
        // A folder is named as one, with the file to pass instead (not "check the permissions").
        let folder = try run("normalize", ["--config", dir.path])
        assertUserMessage(
            folder, exit: 2,
            mentions: ["this is a folder, not a configuration file", "--config \(dir.path)/pipeline.json"],
            "normalize with a folder as config")
        XCTAssertFalse(folder.stderr.contains("permissions"), folder.stderr)
    }

    func testUnknownFlagAndBadFlagValue() throws {
        for stage in StageProcess.stages {
            let r = try run(stage, ["--config", "pipeline.json", "--thread", "2"])
            assertUserMessage(r, exit: 2, mentions: ["--thread", "--help"], "\(stage) --thread")
            XCTAssertTrue(r.stderr.contains("--threads"), "\(stage): suggests --threads: \(r.stderr)")
        }
        assertUserMessage(
            try run("cohort", ["--as-of", "31/12/2024"]), exit: 2, mentions: ["31/12/2024", "YYYY-MM-DD"], "bad --as-of"
        )
        assertUserMessage(try run("cohort", ["--threads", "0"]), exit: 2, mentions: ["--threads"], "--threads 0")
        assertUserMessage(try run("cohort", ["--config"]), exit: 2, mentions: ["--config"], "--config without a value")
    }

    func testHelpAndVersionExitZero() throws {
        for stage in StageProcess.stages {
            let help = try run(stage, ["--help"])
            XCTAssertEqual(help.exitCode, 0, stage)
            XCTAssertTrue(
                help.stdout.hasPrefix(stage), "\(stage) --help starts with its name: \(help.stdout.prefix(80))")
            XCTAssertTrue(help.stdout.contains("Usage: \(stage)"), stage)
            XCTAssertTrue(help.stdout.contains("Exit codes"), stage)
            XCTAssertEqual(help.stderr, "", stage)
            let version = try run(stage, ["--version"])
            XCTAssertEqual(version.exitCode, 0, stage)
            let words = version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
            XCTAssertEqual(words.count, 2, "\(stage) --version: \(version.stdout)")
            XCTAssertEqual(words.first.map(String.init), stage)
            XCTAssertTrue(words.last?.first?.isNumber ?? false, "\(stage) --version: \(version.stdout)")
        }
        // --help wins over a broken config: it must work anywhere.
        XCTAssertEqual(try run("report", ["--config", "nowhere.json", "--help"]).exitCode, 0)
    }

    func testUnknownUpstreamSchemaVersionIsRefused() throws {
        try StageProcess.runAll(config: config.path)
        let path = dir.appendingPathComponent("work/normalize/normalize.manifest.json")
        var m = try Output.object(path)
        var outputs = try XCTUnwrap(m["outputs"] as? [[String: Any]])
        for i in outputs.indices { outputs[i]["schema_version"] = 99 }
        m["outputs"] = outputs
        try JSONSerialization.data(withJSONObject: m, options: [.prettyPrinted, .sortedKeys]).write(to: path)
        for stage in ["cohort", "churn-attribution"] {
            let r = try run(stage, ["--config", "pipeline.json"])
            assertUserMessage(r, exit: 1, mentions: ["normalize.manifest.json", "99"], "\(stage) on schema 99")
        }
    }

    /// Ingest's and normalize's outputs omit null fields since schema version 2 (and intervals
    /// join renewals since 3): a version-1 upstream (written with `"key":null`) is refused by
    /// name, with the version found and read.
    func testVersionOneIntermediatesAreRefused() throws {
        try StageProcess.runAll(config: config.path)
        for (upstream, output, version, readers) in [
            ("ingest", "subscriptions", 2, ["normalize"]),
            ("normalize", "intervals", 4, ["cohort", "churn-attribution"]),
        ] {
            let path = dir.appendingPathComponent("work/\(upstream)/\(upstream).manifest.json")
            let original = try Data(contentsOf: path)
            var m = try Output.object(path)
            var outputs = try XCTUnwrap(m["outputs"] as? [[String: Any]])
            let i = try XCTUnwrap(outputs.firstIndex { $0["name"] as? String == output })
            XCTAssertEqual(outputs[i]["schema_version"] as? Int, version, "\(upstream)/\(output)")
            outputs[i]["schema_version"] = 1
            m["outputs"] = outputs
            try JSONSerialization.data(withJSONObject: m, options: [.prettyPrinted, .sortedKeys]).write(to: path)
            for stage in readers {
                let r = try run(stage, ["--config", "pipeline.json"])
                assertUserMessage(
                    r, exit: 1,
                    mentions: ["\(upstream).manifest.json", output, "schema version 1", "reads version \(version)"],
                    "\(stage) on \(upstream)/\(output) v1")
            }
            try original.write(to: path)
        }
    }

    func testBreachedCheckExitsThreeAfterWritingTheReport() throws {
        try StageProcess.runAll(config: config.path)
        let reports = dir.appendingPathComponent("reports")
        try FileManager.default.removeItem(at: reports)
        // Monthly logo churn is 0.2 (see EndToEndPipelineTests); a maximum of 0.1 is breached.
        // LTV by churn is 7497 yen: a minimum of 8000 is breached too, named in whole minor units.
        let text = try Output.text(config).replacingOccurrences(
            of: "\"max\": 0.5 }", with: "\"max\": 0.1 }, { \"metric\": \"ltv_churn_minor\", \"min\": 8000 }")
        XCTAssertNotEqual(text, try Output.text(config))
        let strict = try write("strict.json", text)
        let r = try run("report", ["--config", strict.lastPathComponent, "--check"])
        assertUserMessage(
            r, exit: 3, mentions: ["logo_churn_monthly = 20.0% (≤ 10.0%)", "ltv_churn_minor = ¥7,497 (≥ ¥8,000)"],
            "report --check breached")
        for f in ["report.md", "report.html", "summary.json"] {
            XCTAssertTrue(
                FileManager.default.fileExists(atPath: reports.appendingPathComponent(f).path),
                "\(f) written before exit 3")
        }
        let s = try Output.object(reports.appendingPathComponent("summary.json"))
        XCTAssertEqual(s["passed"] as? Bool, false)
        XCTAssertEqual((s["checks"] as? [[String: Any]])?.first?["passed"] as? Bool, false)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("work/report/report.manifest.json").path))
        // The same config without a breach passes with --check.
        XCTAssertEqual(try run("report", ["--config", "pipeline.json", "--check"]).exitCode, 0)
    }

    func testRejectRatioExceededWritesNothing() throws {
        let text = try Output.text(config).replacingOccurrences(
            of: "\"max_reject_ratio\": 0.5", with: "\"max_reject_ratio\": 0.15")
        let strict = try write("strict.json", text)
        let r = try run("ingest", ["--config", strict.lastPathComponent])
        // Customers 1 of 9 (11.11%) pass; subscriptions 2 of 9 = 22.22% is above 15%.
        assertUserMessage(r, exit: 1, mentions: ["subscriptions", "22.22%", "max_reject_ratio"], "ingest reject ratio")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("work/ingest/subscriptions.jsonl").path))
    }
}
