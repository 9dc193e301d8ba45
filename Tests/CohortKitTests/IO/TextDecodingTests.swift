import Foundation
import XCTest

@testable import CohortKit

/// How a Shift_JIS source marks the bytes it cannot convert, so a reject can show them as the
/// file has them.
final class TextDecodingTests: XCTestCase {
    /// Every byte's mark gives the byte back, is invalid UTF-8 whatever follows it in converted
    /// text (ASCII, a converted character, another mark, the end), and reads as one U+FFFD.
    func testAConversionMarkCarriesItsByteAndIsNeverUTF8() {
        let after: [[UInt8]] = [[], Array(",x".utf8), Array("あ".utf8), [0xE3, 0x81]]
        for byte in UInt8(0)...UInt8(255) {
            let mark = TextDecoding.conversionMark(byte)
            for tail in after {
                let text = [mark.lead, mark.continuation] + tail
                text.withUnsafeBufferPointer { b in
                    XCTAssertEqual(TextDecoding.markedByte(b, at: 0), byte, "\(byte) before \(tail)")
                    XCTAssertFalse(TextDecoding.isValidUTF8(b), "\(byte) before \(tail)")
                }
            }
            let decoded = String(decoding: [mark.lead, mark.continuation] + Array(",".utf8), as: UTF8.self)
            XCTAssertEqual(decoded, "\u{FFFD},", "\(byte)")
        }
        // A valid three-byte character is no mark.
        Array("あ".utf8).withUnsafeBufferPointer { XCTAssertNil(TextDecoding.markedByte($0, at: 0)) }
    }

    /// Bytes iconv rejects in a CP932 file (a lead byte before a comma or at the end, bytes no
    /// character uses, an unassigned double-byte code) come out as marks, one per rejected byte,
    /// with the text around them converted.
    func testAShiftJISSourceMarksTheBytesItCannotConvert() throws {
        let path = NSTemporaryDirectory() + "sjis-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file: [UInt8] = [0x81, 0x2C, 0x82, 0xA0, 0x2C, 0xFD, 0xFE, 0x0A, 0x85, 0x40, 0x80, 0x81]
        try Data(file).write(to: URL(fileURLWithPath: path))
        let source = try ShiftJISDecodingSource(file: try CSVFileSource(path: path))
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64)
        while true {
            let n = try chunk.withUnsafeMutableBufferPointer { try source.fill($0.baseAddress!, capacity: $0.count) }
            if n == 0 { break }
            out += chunk[0..<n]
        }
        func mark(_ b: UInt8) -> [UInt8] {
            let m = TextDecoding.conversionMark(b)
            return [m.lead, m.continuation]
        }
        let expected =
            mark(0x81) + Array(",あ,".utf8) + mark(0xFD) + mark(0xFE) + [0x0A] + mark(0x85) + Array("@".utf8)
            + mark(0x80) + mark(0x81)
        XCTAssertEqual(out, expected)
        let shown = out.withUnsafeBufferPointer { KeyText.escaped($0, conversionMarks: true) }
        XCTAssertEqual(shown, "\\x81,あ,\\xFD\\xFE\\u000a\\x85@\\x80\\x81")
    }
}
