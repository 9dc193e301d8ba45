import Foundation
import XCTest

@testable import CohortKit

/// Configurations that would make the pipeline write over its own inputs, confuse `make`, or go
/// stale: each is refused with a configuration error (exit 2) naming the key.
final class PipelineConfigLayoutTests: XCTestCase {
    func config(
        sources: [String: String] = [:], workDir: String = "work", reportsDir: String = "reports",
        extraTop: String = "", asOf: String? = "2024-12-31", file: String = "/tmp/x/pipeline.json"
    ) throws -> PipelineConfig {
        var paths = ["customers": "raw/customers.csv", "subscriptions": "raw/subscriptions.csv"]
        paths.merge(sources) { $1 }
        let src = paths.sorted { $0.key < $1.key }.map { #""\#($0.key)": {"path": "\#($0.value)"}"# }
            .joined(separator: ", ")
        let asOfText = asOf.map { #""as_of": "\#($0)", "# } ?? ""
        let text =
            #"{\#(asOfText)"work_dir": "\#(workDir)", "reports_dir": "\#(reportsDir)", "sources": {\#(src)}\#(extraTop)}"#
        return try PipelineConfig(value: JSONParser.parse(text), file: file)
    }

    func assertRefused(
        _ make: @autoclosure () throws -> PipelineConfig, key: String, mentions: [String] = [], _ what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try make(), what, file: file, line: line) { error in
            guard let e = error as? ConfigError else { return XCTFail("\(what): \(error)", file: file, line: line) }
            XCTAssertEqual(e.keyPath, key, "\(what): \(e.description)", file: file, line: line)
            XCTAssertEqual(e.exitCode, 2, file: file, line: line)
            for m in mentions {
                XCTAssertTrue(e.description.contains(m), "\(what): \(e.description) lacks \(m)", file: file, line: line)
            }
        }
    }

    // MARK: sources inside the pipeline's own folders

    func testASourceInsideAStageFolderIsRefused() {
        for folder in ["ingest", "normalize", "cohort", "churn-attribution", "report", ".config"] {
            assertRefused(
                try config(sources: ["customers": "work/\(folder)/customers.jsonl"]), key: "sources.customers.path",
                mentions: ["work/\(folder)/customers.jsonl", "/tmp/x/work/\(folder)", "overwrite", "delete"], folder)
        }
        // Other spellings of the same place.
        for path in [
            "work/./ingest/customers.jsonl", "raw/../work/ingest/customers.jsonl", "/tmp/x/work/ingest/customers.jsonl",
            "work//ingest/x/deeper.csv",
        ] {
            assertRefused(try config(sources: ["events": path]), key: "sources.events.path", path)
        }
        // A work_dir given as an absolute path, the source relative.
        assertRefused(
            try config(sources: ["subscriptions": "data/work/cohort/s.csv"], workDir: "/tmp/x/data/work"),
            key: "sources.subscriptions.path", "absolute work_dir")
    }

    func testSourcesBesideTheStageFoldersAreAccepted() throws {
        for path in ["work/customers.csv", "work/ingestion/customers.csv", "work/ingest.csv", "reports/customers.csv"] {
            XCTAssertNoThrow(try config(sources: ["customers": path]), path)
        }
    }

    func testASourceReachedThroughASymlinkedFolderIsRefused() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("layout-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("work/ingest"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("raw").path,
            withDestinationPath: root.appendingPathComponent("work/ingest").path)
        assertRefused(
            try config(
                sources: ["customers": "raw/customers.jsonl"], file: root.appendingPathComponent("pipeline.json").path),
            key: "sources.customers.path", mentions: ["work/ingest"], "raw/ is a link to work/ingest")
    }

    /// The other way round: work_dir's ingest folder is a link to the sources' folder, so ingest
    /// would write its outputs over the sources and --clean delete them.
    func testAStageFolderThatIsALinkToTheSourcesFolderIsRefused() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("layout-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("data/raw"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("work"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("work/ingest").path, withDestinationPath: "../data/raw")
        assertRefused(
            try config(
                sources: ["events": "data/raw/events.jsonl"], file: root.appendingPathComponent("pipeline.json").path),
            key: "sources.events.path", mentions: ["data/raw", "ingest folder"], "work/ingest is a link to data/raw")
        // A stage folder linked elsewhere, away from the sources, is fine.
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
        try FileManager.default.removeItem(at: root.appendingPathComponent("work/ingest"))
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("work/ingest").path, withDestinationPath: "../elsewhere")
        XCTAssertNoThrow(
            try config(
                sources: ["events": "data/raw/events.jsonl"], file: root.appendingPathComponent("pipeline.json").path))
    }

    /// An empty path would resolve to the configuration's folder's root or to `/`: the pipeline
    /// would write its stage folders and reports there.
    func testAnEmptyPathIsRefused() {
        for blank in ["", " ", "\\t"] {
            assertRefused(try config(workDir: blank), key: "work_dir", mentions: ["empty"], "work_dir \(blank)")
            assertRefused(
                try config(reportsDir: blank), key: "reports_dir", mentions: ["empty"], "reports_dir \(blank)")
            assertRefused(
                try config(sources: ["customers": blank]), key: "sources.customers.path", mentions: ["empty"],
                "customers path \(blank)")
        }
        assertRefused(try config(workDir: "work\\u0000x"), key: "work_dir", mentions: ["NUL"], "NUL in work_dir")
        XCTAssertNoThrow(try config(workDir: ".", reportsDir: "reports"))
    }

    func testASourceNamedAsAReportFileIsRefused() throws {
        for name in ["summary.json", "report.md", "report.html", "summary.md", "kpis.csv", "triangles.csv"] {
            assertRefused(
                try config(sources: ["cancellations": "reports/\(name)"]), key: "sources.cancellations.path",
                mentions: ["reports_dir"], name)
        }
        assertRefused(
            try config(sources: ["events": "reports/history/2024-12-31.json"]), key: "sources.events.path",
            "a report history file")
        XCTAssertNoThrow(try config(sources: ["events": "reports/events.jsonl"]))
    }

    // MARK: reports_dir

    func testReportsDirInAStageFolderOrEqualToWorkDirIsRefused() throws {
        for dir in ["work/ingest", "work/report", "work/normalize/", "work/.config/reports", "./work/cohort/sub"] {
            assertRefused(try config(reportsDir: dir), key: "reports_dir", mentions: ["rerun every stage"], dir)
        }
        for dir in ["work", "./work", "work/", "raw/../work"] {
            assertRefused(try config(reportsDir: dir), key: "reports_dir", mentions: ["same folder as work_dir"], dir)
        }
        for dir in ["reports", "work/reports", "out"] {
            XCTAssertNoThrow(try config(reportsDir: dir), dir)
        }
    }

    // MARK: time zones

    func testTimeZoneIsPartOfTheResolvedConfiguration() throws {
        func tz(_ zone: String?) throws -> PipelineConfig {
            let value = zone.map { #", "timezone": "\#($0)""# } ?? ""
            let text =
                #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"\#(value)}, "subscriptions": {"path": "s.csv"}}}"#
            return try PipelineConfig(value: JSONParser.parse(text), file: "/tmp/x/pipeline.json")
        }
        let utc = try tz(nil)
        let tokyo = try tz("+09:00")
        XCTAssertEqual(utc.section(["sources"])["sources"]?["customers"]?["timezone"], .string("UTC"))
        XCTAssertEqual(tokyo.section(["sources"])["sources"]?["customers"]?["timezone"], .string("+09:00"))
        XCTAssertEqual(try tz("+0900").section(["sources"])["sources"]?["customers"]?["timezone"], .string("+09:00"))
        XCTAssertEqual(try tz("-0330").section(["sources"])["sources"]?["customers"]?["timezone"], .string("-03:30"))
        XCTAssertEqual(
            try tz("Asia/Tokyo").section(["sources"])["sources"]?["customers"]?["timezone"], .string("Asia/Tokyo"))
        // The ingest slice (what make compares) and the digest follow it.
        let ingest = StageDescription.ingest.configSections
        XCTAssertNotEqual(utc.section(ingest).serialized(), tokyo.section(ingest).serialized())
        XCTAssertNotEqual(utc.digest, tokyo.digest)
        XCTAssertEqual(try tz("UTC").digest, utc.digest)
    }

    func testOffsetsOutsideTheRealRangeAreRefused() throws {
        func tz(_ zone: String) throws -> PipelineConfig {
            let text =
                #"{"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv", "timezone": "\#(zone)"}}}"#
            return try PipelineConfig(value: JSONParser.parse(text), file: "/tmp/x/pipeline.json")
        }
        for ok in ["+14:00", "-12:00", "+05:45", "+0530", "-00:30", "+00:00", "Z", "UTC", "America/New_York"] {
            XCTAssertNoThrow(try tz(ok), ok)
        }
        for bad in ["+99:00", "+24:00", "+14:01", "-12:01", "-13:00", "+1400 "] {
            assertRefused(try tz(bad), key: "sources.subscriptions.timezone", mentions: ["-12:00 to +14:00"], bad)
        }
        for bad in ["+09:60", "+9:00", "+09:0", "++900", "+0:900", "+09:00:00", "+09-00", "Mars/Olympus"] {
            assertRefused(
                try tz(bad), key: "sources.subscriptions.timezone", mentions: ["unknown time zone", "+09:00"], bad)
        }
    }

    // MARK: SOURCE_DATE_EPOCH

    func testSourceDateEpochMustBeAWholeNumberInRange() throws {
        XCTAssertNil(try PipelineConfig.parseSourceDateEpoch(nil))
        XCTAssertNil(try PipelineConfig.parseSourceDateEpoch(""))
        XCTAssertEqual(try PipelineConfig.parseSourceDateEpoch("0"), 0)
        XCTAssertEqual(try PipelineConfig.parseSourceDateEpoch(" 1717200000 "), 1_717_200_000)
        XCTAssertEqual(try PipelineConfig.parseSourceDateEpoch("253402300799"), 253_402_300_799)
        for bad in ["abc", "-1", "1.5", "1e9", "+5", "0x10", "253402300800", "99999999999999999999999999"] {
            XCTAssertThrowsError(try PipelineConfig.parseSourceDateEpoch(bad), bad) { error in
                XCTAssertEqual((error as? ConfigError)?.file, "SOURCE_DATE_EPOCH", "\(error)")
                XCTAssertEqual((error as? ConfigError)?.exitCode, 2)
            }
        }
    }

    func testSourceDateEpochIsCheckedWhenTheConfigIsRead() throws {
        defer { unsetenv("SOURCE_DATE_EPOCH") }
        // The default as_of from it must fall in ingest.date_range, like an as_of written out.
        setenv("SOURCE_DATE_EPOCH", "253402300799", 1)
        assertRefused(
            try config(asOf: nil), key: "", mentions: ["SOURCE_DATE_EPOCH", "9999-11-30", "ingest.date_range"],
            "9999-12-31")
        setenv("SOURCE_DATE_EPOCH", "1717200000", 1)  // 2024-06-01: as_of 2024-05-31
        XCTAssertEqual(try config(asOf: nil).asOf.description, "2024-05-31")
        assertRefused(
            try config(extraTop: #", "ingest": {"date_range": {"max": "2024-01-01"}}"#, asOf: nil), key: "",
            mentions: ["SOURCE_DATE_EPOCH", "2024-05-31"], "as_of past date_range.max")
        // Garbage is refused, even when as_of is written out (the report's footer reads the variable).
        for bad in ["abc", "-1"] {
            setenv("SOURCE_DATE_EPOCH", bad, 1)
            assertRefused(try config(asOf: nil), key: "", mentions: ["SOURCE_DATE_EPOCH", bad], bad)
            assertRefused(try config(), key: "", mentions: ["SOURCE_DATE_EPOCH"], "\(bad) with as_of")
        }
        unsetenv("SOURCE_DATE_EPOCH")
        // Without it, today's date must fall in the range too.
        assertRefused(
            try config(extraTop: #", "ingest": {"date_range": {"max": "2000-01-01"}}"#, asOf: nil), key: "as_of",
            mentions: ["today", "ingest.date_range"], "today past date_range.max")
    }

    // MARK: the configuration file's size

    func testAConfigFileOverTheLimitIsRefusedBeforeReadingIt() throws {
        let path = NSTemporaryDirectory() + "huge-\(UUID().uuidString).json"
        defer { unlink(path) }
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        XCTAssertEqual(truncate(path, off_t(PipelineConfig.maxFileBytes + 1)), 0)
        for p in [path, "/dev/zero"] {
            XCTAssertThrowsError(try PipelineConfig.load(path: p), p) { error in
                guard let e = error as? ConfigError else { return XCTFail("\(error)") }
                XCTAssertTrue(e.description.contains("larger than 16 MiB"), e.description)
                XCTAssertEqual(e.file, p)
            }
        }
        // At the limit it is read (and here is not JSON).
        XCTAssertEqual(truncate(path, off_t(PipelineConfig.maxFileBytes)), 0)
        XCTAssertThrowsError(try PipelineConfig.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("not valid JSON"), "\(error)")
        }
    }

    func testReadAllStopsJustPastItsLimit() throws {
        XCTAssertEqual(try FilePaths.readAll("/dev/zero", limit: 100_000).count, 100_001)
        XCTAssertEqual(try FilePaths.readAll("/dev/zero", limit: 0).count, 1)
    }

    // MARK: --make-vars

    func testMakeRefusesFoldersWithCharactersMakeCannotHandle() throws {
        for (work, reports, key, shown) in [
            ("my work", "reports", "work_dir", "a space"), ("work", "rep#orts", "reports_dir", "\"#\""),
            ("work", "a:b", "reports_dir", "\":\""), ("w%", "reports", "work_dir", "\"%\""),
            ("work\\tdir", "reports", "work_dir", "a tab"),
        ] {
            let c = try config(workDir: work, reportsDir: reports)
            XCTAssertThrowsError(try PipelineMake.checkPathsForMake(c), work + reports) { error in
                guard let e = error as? ConfigError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.keyPath, key)
                XCTAssertTrue(e.description.contains(shown), e.description)
                XCTAssertTrue(e.description.contains("accept this path when run directly"), e.description)
            }
        }
        // The config's own folder counts: the folders resolve against it.
        XCTAssertThrowsError(try PipelineMake.checkPathsForMake(config(file: "/tmp/sp ace/pipeline.json")))
        // Source paths are not make's file names.
        XCTAssertNoThrow(try PipelineMake.checkPathsForMake(config(sources: ["customers": "raw data/c #1.csv"])))
        XCTAssertNoThrow(try PipelineMake.checkPathsForMake(config(workDir: "data/work-1_ä", reportsDir: "out$")))
    }
}
