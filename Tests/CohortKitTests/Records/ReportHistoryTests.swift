import Foundation
import XCTest

@testable import CohortKit

/// The run history folder is the user's too: only a regular file of at most 16 MiB is read as a
/// record, anything else is skipped with the reason, and nothing there can block or fill memory.
final class ReportHistoryTests: XCTestCase {
    var reports: URL!
    var history: URL!

    override func setUpWithError() throws {
        reports = try E2EFixture.emptyFolder("history", for: self)
        history = reports.appendingPathComponent("history")
        try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
    }

    private func path(_ date: String) -> String { history.appendingPathComponent("\(date).json").path }

    private func writeRecord(_ date: String, workDir: String = "work") throws {
        let record = ReportHistory(
            asOf: date, workDir: workDir, kpis: [("logo_churn_annual", 0.1)],
            newestOffset: [ReportHistory.key("(all)", "2024-01"): 3])
        try Data(record.json.serialized(pretty: true).utf8).write(to: URL(fileURLWithPath: path(date)))
    }

    /// A named pipe blocked the report in its open until something wrote to it; a link to a
    /// device was read to its end (/dev/zero: until memory ran out); a file of any size was read
    /// whole. Each is skipped now, newest first, with why, and the next record is the previous run.
    func testWhatIsNoRegularFileOfASaneSizeIsSkippedWithWhy() throws {
        try FIFORelease.make(path("2024-12-31"))
        try FileManager.default.createSymbolicLink(atPath: path("2024-12-30"), withDestinationPath: "/dev/null")
        XCTAssertTrue(FileManager.default.createFile(atPath: path("2024-12-29"), contents: nil))
        XCTAssertEqual(truncate(path("2024-12-29"), off_t(ReportHistory.maxFileBytes + 1)), 0)
        try FileManager.default.createDirectory(atPath: path("2024-12-28"), withIntermediateDirectories: false)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: path("2024-12-27")))
        try writeRecord("2024-12-26", workDir: "another/work")
        try writeRecord("2024-12-25")
        // A link to a record is read as the record.
        try FileManager.default.createSymbolicLink(atPath: path("2024-12-24"), withDestinationPath: path("2024-12-25"))

        var skipped: [String] = []
        let (found, released) = FIFORelease.run(releasing: [path("2024-12-31")]) {
            ReportHistory.previous(
                in: reports.path, asOf: "2024-12-31", workDir: "work", skipped: { skipped.append("\($0) \($1)") })
        }
        XCTAssertFalse(released, "the history was read by opening the named pipe")
        XCTAssertEqual(found?.path, path("2024-12-25"))
        XCTAssertEqual(found?.history.kpis.map(\.0), ["logo_churn_annual"])
        XCTAssertEqual(
            skipped,
            [
                path("2024-12-31") + " is a named pipe (FIFO), not a regular file",
                path("2024-12-30") + " is a character device, not a regular file",
                path("2024-12-29") + " is 16777217 bytes, above the 16 MiB a history record may hold",
                path("2024-12-28") + " is a folder, not a regular file",
                path("2024-12-27") + " is not a run history record (JSON with as_of, kpis and newest_offset)",
            ])

        // make clean's check keeps each of them (nothing it can tell is the pipeline's).
        let (records, releasedByClean) = FIFORelease.run(releasing: [path("2024-12-31")]) {
            ["2024-12-31", "2024-12-30", "2024-12-29", "2024-12-28", "2024-12-27", "2024-12-25"].map {
                ReportHistory.isRecord(at: path($0), workDir: "work")
            }
        }
        XCTAssertFalse(releasedByClean, "make clean's check opened the named pipe")
        XCTAssertEqual(records, [false, false, false, false, false, true])
        guard !released, !releasedByClean else { return }

        // Only once a named pipe is known not to be opened: a missing check would read /dev/zero
        // until memory ran out.
        try FileManager.default.removeItem(atPath: path("2024-12-30"))
        try FileManager.default.createSymbolicLink(atPath: path("2024-12-30"), withDestinationPath: "/dev/zero")
        skipped = []
        XCTAssertEqual(
            ReportHistory.previous(
                in: reports.path, asOf: "2024-12-30", workDir: "work", skipped: { skipped.append("\($0) \($1)") }
            )?.path, path("2024-12-25"))
        XCTAssertEqual(skipped.first, path("2024-12-30") + " is a character device, not a regular file")
        XCTAssertFalse(ReportHistory.isRecord(at: path("2024-12-30"), workDir: "work"))
    }

    /// The cap is on the size: a record right at it is read, one byte more is not.
    func testAFileOfAtMostTheCapIsRead() throws {
        let file = path("2024-12-31")
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: nil))
        XCTAssertEqual(truncate(file, off_t(ReportHistory.maxFileBytes)), 0)
        XCTAssertEqual(try FilePaths.readRegularFile(file, limit: ReportHistory.maxFileBytes).get().count, 16 << 20)
        XCTAssertEqual(truncate(file, off_t(ReportHistory.maxFileBytes + 1)), 0)
        XCTAssertEqual(
            FilePaths.readRegularFile(file, limit: ReportHistory.maxFileBytes),
            .failure(.tooLarge(bytes: (16 << 20) + 1)))
        XCTAssertEqual(
            FilePaths.readRegularFile(path("2020-01-01"), limit: 10),
            .failure(.unreadable(reason: "No such file or directory")))
    }
}
