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
        var b = try LineBuffer(path: path, chunkSize: chunkSize, range: range, progress: nil)
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
        var b = try LineBuffer(path: path, chunkSize: 64, progress: nil)
        var blank: [(Bool, Bool)] = []
        while let line = try b.next() {
            blank.append((b.isBlank(line, carriageReturn: false), b.isBlank(line, carriageReturn: true)))
        }
        XCTAssertEqual(blank.map(\.0), [true, false, false])
        XCTAssertEqual(blank.map(\.1), [true, true, false])
    }
}
