import Foundation
import XCTest

@testable import CohortKit

/// How `AtomicFileWriter` puts a file in place: renamed when small or new, swapped with the
/// previous output when large (docs/stages.md#atomic-outputs). Either way the destination holds
/// the new bytes, a reader of the old file keeps reading the old bytes, and no temporary file is
/// left; what is not a previous output (a folder) is never swapped away.
final class AtomicFileWriterTests: XCTestCase {
    private func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "atomic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    private func bytes(_ n: Int, _ fill: UInt8) -> [UInt8] { [UInt8](repeating: fill, count: n) }

    private func write(_ b: [UInt8], to path: String) throws {
        let w = try AtomicFileWriter(path: path)
        try w.write(b)
        try w.commit()
    }

    private func entries(_ dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    }

    /// A write that fails (here over a 2 MiB file-size limit) ends the output with an error naming
    /// the file, whether the buffers are hashed inline or in the background, and discarding it
    /// leaves the previous file and no temporary.
    func testAFailedWriteIsReportedInlineAndFromTheQueue() throws {
        let dir = try folder()
        try withFileSizeLimit(2 << 20) {
            for mode in [DigestMode.inline, .background] {
                let path = "\(dir)/out-\(mode).bin"
                try write(bytes(10, 1), to: path)
                let w = try AtomicFileWriter(path: path, digest: mode)
                var failure: Error? = nil
                do {
                    for _ in 0..<8 { try w.write(bytes(1 << 20, 2)) }
                    try w.finish()
                } catch { failure = error }
                w.discard()
                let message = try XCTUnwrap(failure.map { "\($0)" }, "\(mode): the write over the limit fails")
                XCTAssertTrue(message.contains(path) && message.contains("file-size limit"), "\(mode): \(message)")
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data(bytes(10, 1)), "\(mode)")
                XCTAssertEqual(try entries(dir).filter { $0.contains(".tmp-") }, [], "\(mode): no temporary left")
            }
        }
    }

    func testSmallAndLargeFilesReplaceThePreviousOutputWhileItsReadersKeepIt() throws {
        let dir = try folder()
        for size in [
            10, AtomicFileWriter.exchangeFrom - 1, AtomicFileWriter.exchangeFrom, 3 * AtomicFileWriter.exchangeFrom + 5,
        ] {
            let path = dir + "/out-\(size).jsonl"
            try write(bytes(size, 0x41), to: path)  // first run: nothing to replace
            let reader = try XCTUnwrap(FileHandle(forReadingAtPath: path))
            try write(bytes(size + 3, 0x42), to: path)
            XCTAssertEqual(try FilePaths.readAll(path), bytes(size + 3, 0x42), "size \(size)")
            // The previous output, open before the replacement, still reads whole.
            XCTAssertEqual(Array(reader.readDataToEndOfFile()), bytes(size, 0x41), "size \(size)")
            try reader.close()
        }
        XCTAssertEqual(try entries(dir).filter { $0.hasPrefix(".") }, [], "a temporary file was left")
        XCTAssertEqual(try entries(dir).count, 4)
    }

    func testAFolderInTheWayIsNotSwappedAway() throws {
        let dir = try folder()
        let path = dir + "/out.jsonl"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        XCTAssertThrowsError(try write(bytes(AtomicFileWriter.exchangeFrom + 1, 0x43), to: path))
        var isFolder: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: path, isDirectory: &isFolder))
        XCTAssertTrue(isFolder.boolValue, "the folder was moved")
        XCTAssertEqual(try entries(dir), ["out.jsonl"], "the folder was renamed or a temporary file left")
    }

    /// What ingest refuses to read as a source: a pipe or a device can be read only once.
    func testSpecialFileKindNamesPipesAndDevicesOnly() throws {
        let dir = try folder()
        let fifo = dir + "/stream.csv"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertEqual(FilePaths.specialFileKind(fifo), "a named pipe (FIFO)")
        XCTAssertEqual(FilePaths.specialFileKind("/dev/null"), "a character device")
        try write(bytes(3, 0x41), to: dir + "/plain.csv")
        XCTAssertNil(FilePaths.specialFileKind(dir + "/plain.csv"))
        XCTAssertNil(FilePaths.specialFileKind(dir), "a folder has its own message")
        XCTAssertNil(FilePaths.specialFileKind(dir + "/missing.csv"), "a missing file has its own message")
        // A link is followed: what matters is what reading it reads.
        XCTAssertEqual(symlink(fifo, dir + "/link.csv"), 0)
        XCTAssertEqual(FilePaths.specialFileKind(dir + "/link.csv"), "a named pipe (FIFO)")
    }
}
