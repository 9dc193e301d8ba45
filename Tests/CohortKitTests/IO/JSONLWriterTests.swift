import Foundation
import XCTest

@testable import CohortKit

/// `JSONLWriter` gathers whole rows and hands them to its file a chunk at a time: the file holds
/// exactly the rows ended, in order, whichever rows straddle a chunk, with the size, row count and
/// digests of those bytes; a row begun and not ended (its writer threw) is not in the file.
final class JSONLWriterTests: XCTestCase {
    private func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "jsonl-writer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    private struct Abandoned: Error {}

    /// Rows of random lengths (some longer than a chunk), every fifth begun, partly written and
    /// abandoned: the file is the ended rows' lines, byte for byte.
    func testFileHoldsExactlyTheEndedRowsAcrossChunks() throws {
        for (seed, rowCount) in [(1, 0), (2, 1), (3, 3_000), (4, 20_000)] {
            let path = try folder() + "/rows.jsonl"
            let w = try JSONLWriter(path: path, digest: seed % 2 == 0 ? .background : .inline)
            var rng = SplitMix64(seed: UInt64(seed))
            var expected: [UInt8] = []
            var ended = 0
            for i in 0..<rowCount {
                let text = String(repeating: "x", count: Int(rng.next() % 300) + (i % 997 == 0 ? 200_000 : 0))
                let abandon = i % 5 == 4
                do {
                    w.begin()
                    w.line.key("i")
                    w.line.int(i)
                    w.line.key("text")
                    w.line.string(text)
                    if abandon { throw Abandoned() }
                    try w.end()
                    ended += 1
                    expected += Array("{\"i\":\(i),\"text\":\"\(text)\"}\n".utf8)
                } catch is Abandoned {}
            }
            try w.commit()
            let written = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            XCTAssertEqual(written.count, expected.count, "seed \(seed)")
            XCTAssertTrue(written == expected, "seed \(seed): the file differs from the ended rows")
            XCTAssertEqual(w.rows, ended)
            XCTAssertEqual(w.bytes, expected.count)
            XCTAssertEqual(w.sha256, SHA256.hex(of: expected))
            XCTAssertEqual(w.xxh64, XXH64.hex(of: expected))
        }
    }

    /// Rows ended before `finish()` and fewer than a chunk's bytes are in the file (they are
    /// handed over by `finish()`, not only when a chunk fills), and a last row begun and not ended
    /// is not.
    func testFinishWritesTheRowsOfAPartChunkAndDropsAnUnendedOne() throws {
        let path = try folder() + "/few.jsonl"
        let w = try JSONLWriter(path: path)
        for i in 0..<3 {
            w.begin()
            w.line.key("i")
            w.line.int(i)
            try w.end()
        }
        w.begin()
        w.line.key("unended")
        try w.finish()
        try w.rename()
        XCTAssertEqual(
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self),
            "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n")
        XCTAssertEqual(w.rows, 3)
    }

    private func rows(_ w: JSONLWriter, _ n: Int, text: String = "row") throws {
        for i in 0..<n {
            w.begin()
            w.line.key("i")
            w.line.int(i)
            w.line.key("text")
            w.line.string(text)
            try w.end()
        }
    }

    /// `rename()` alone (no `finish()` first) writes the rows still gathered; `discard()` with
    /// rows gathered leaves the previous file as it was and no temporary file.
    func testRenameWritesGatheredRowsAndDiscardDropsThem() throws {
        let dir = try folder()
        let path = dir + "/out.jsonl"
        let w = try JSONLWriter(path: path)
        try rows(w, 2)
        try w.rename()
        XCTAssertEqual(
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self),
            "{\"i\":0,\"text\":\"row\"}\n{\"i\":1,\"text\":\"row\"}\n")
        let second = try JSONLWriter(path: path)
        try rows(second, 5, text: "other")
        second.discard()
        XCTAssertEqual(
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self),
            "{\"i\":0,\"text\":\"row\"}\n{\"i\":1,\"text\":\"row\"}\n")
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }, [])
    }

    /// A write that fails (over a 2 MiB file-size limit) surfaces from `end()` or at the latest
    /// from `finish()`, naming the file, with rows gathered in chunks as with rows written one by one.
    func testAFailedWriteSurfacesFromEndOrFinish() throws {
        let dir = try folder()
        try withFileSizeLimit(2 << 20) {
            for mode in [DigestMode.inline, .background] {
                let path = "\(dir)/out-\(mode).jsonl"
                let w = try JSONLWriter(path: path, digest: mode)
                var failure: Error? = nil
                do {
                    try rows(w, 40_000, text: String(repeating: "x", count: 100))  // about 4.6 MB
                    try w.finish()
                } catch { failure = error }
                w.discard()
                let message = try XCTUnwrap(failure.map { "\($0)" }, "\(mode): the write over the limit fails")
                XCTAssertTrue(message.contains(path) && message.contains("file-size limit"), "\(mode): \(message)")
                XCTAssertFalse(FileManager.default.fileExists(atPath: path), "\(mode): nothing put in place")
            }
        }
    }
}
