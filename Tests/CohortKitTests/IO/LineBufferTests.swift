import Foundation
import XCTest

@testable import CohortKit

/// The line splitting both JSON Lines readers share: line endings, the byte-order mark, the last
/// line without a newline, lines longer than a chunk, blank lines and ranges.
final class LineBufferTests: XCTestCase {
    private func write(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "lines-\(UUID().uuidString).txt"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { unlink(path) }
        return path
    }

    /// Every line's text and number, read with `chunkSize`.
    private func lines(_ path: String, chunkSize: Int = 4 << 20, range: Range<Int>? = nil) throws -> [String] {
        let b = try LineBuffer(path: path, chunkSize: chunkSize, range: range, progress: nil)
        var out: [String] = []
        while let line = try b.next() {
            out.append("\(b.lineNumber):" + String(decoding: b.bytes[line], as: UTF8.self))
        }
        return out
    }

    func testSplitsAtNewlinesDropsCarriageReturnsAndKeepsTheLastLineWithoutANewline() throws {
        let path = try write(Array("a\r\nbb\n\nccc".utf8))
        XCTAssertEqual(try lines(path), ["1:a", "2:bb", "3:", "4:ccc"])
        // A chunk smaller than a line: the partial line is kept and read on.
        XCTAssertEqual(try lines(path, chunkSize: 2), ["1:a", "2:bb", "3:", "4:ccc"])
    }

    func testSkipsTheByteOrderMarkAtTheStartOfTheFileOnly() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let path = try write(bom + Array("x\n".utf8) + bom + Array("y\n".utf8))
        XCTAssertEqual(try lines(path), ["1:x", "2:\u{FEFF}y"])
        // A range that starts later is not the start of the file: its first line keeps the mark.
        XCTAssertEqual(try lines(path, range: 5..<10), ["1:\u{FEFF}y"])
    }

    func testBlankLinesAreSpacesAndTabsAndCarriageReturnsOnlyWhenAsked() throws {
        let path = try write(Array(" \t\n \r\r\nx\n".utf8))
        let b = try LineBuffer(path: path, chunkSize: 64, progress: nil)
        var blank: [(Bool, Bool)] = []
        while let line = try b.next() {
            blank.append((b.isBlank(line, carriageReturn: false), b.isBlank(line, carriageReturn: true)))
        }
        XCTAssertEqual(blank.map(\.0), [true, false, false])
        XCTAssertEqual(blank.map(\.1), [true, true, false])
    }

    /// Lines of a few kilobytes read 7 bytes at a time: the buffer grows and compacts many times
    /// while it holds a partial line, and the last line (no newline) is longer than a chunk too.
    func testLongLinesThroughTinyChunksKeepTheirBytesAndOffsets() throws {
        var rng = SplitMix64(seed: 11)
        let lines: [[UInt8]] = (0..<6).map { k in
            (0..<(k == 5 ? 3_001 : 1_000 + 997 * k)).map { _ in UInt8.random(in: 0x21...0x7e, using: &rng) }
        }
        let file = Array(lines.map { $0 }.joined(separator: [0x0A]))
        let path = try write(file)
        let r = try JSONLReader(path: path, chunkSize: 7)
        let b = try LineBuffer(path: path, chunkSize: 7, range: nil, progress: nil)
        var offset = 0
        for (k, expected) in lines.enumerated() {
            guard let line = try b.next() else { return XCTFail("line \(k + 1) missing") }
            XCTAssertEqual(Array(b.bytes[line]), expected, "line \(k + 1)")
            XCTAssertEqual(b.bufferOffset + line.lowerBound, offset, "line \(k + 1)")
            XCTAssertTrue(try r.next())
            XCTAssertEqual(r.lineOffset, offset)
            offset += expected.count + 1
        }
        XCTAssertNil(try b.next())
        XCTAssertEqual(b.bytesRead, file.count)
    }

    /// File digests read in chunks agree with the digest of the bytes taken whole: a file of
    /// several read chunks and an odd size, the whole file and a range of it.
    func testChunkedDigestsMatchTheBytesTakenWhole() throws {
        var rng = SplitMix64(seed: 12)
        let bytes = (0..<((5 << 19) + 37)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let path = try write(bytes)
        XCTAssertEqual(try SHA256.hex(ofFile: path), SHA256.hex(of: bytes))
        let range = 1_001..<(2 << 20) + 3
        let r = try ChunkedFileReader(path: path, computeDigest: true, range: range)
        var seen: [UInt8] = []
        try r.forEachChunk(max: 300_007) { seen.append(contentsOf: $0) }
        XCTAssertEqual(seen, Array(bytes[range]))
        XCTAssertEqual(r.digest?.finalizeHex(), SHA256.hex(of: bytes[range]))
    }

    func testALineLongerThanTheLimitIsAnErrorNamingFileLineAndLimit() throws {
        let path = try write(Array("ab\n".utf8) + [UInt8](repeating: 0, count: 100) + Array("\nc\n".utf8))
        // A line of exactly the limit is read; one byte over fails, however the chunks fall.
        for chunk in [16, 4 << 20] {
            let ok = try LineBuffer(path: path, chunkSize: chunk, progress: nil, maxLineBytes: 100)
            var n = 0
            while try ok.next() != nil { n += 1 }
            XCTAssertEqual(n, 3)
            let b = try LineBuffer(path: path, chunkSize: chunk, progress: nil, maxLineBytes: 99)
            XCTAssertNotNil(try b.next())
            XCTAssertThrowsError(try b.next()) { e in
                XCTAssertEqual(e as? InputError, .lineTooLong(path: path, line: 2, limit: 99))
                XCTAssertEqual((e as? InputError)?.exitCode, 1)
            }
        }
        XCTAssertTrue(
            InputError.lineTooLong(path: "x.jsonl", line: 2, limit: 256 << 20).description.hasPrefix(
                "x.jsonl: line 2 is longer than 256 MiB: is this the right file?"))
        XCTAssertEqual(LineBuffer.maxSourceLineBytes, 256 << 20)
    }
}
