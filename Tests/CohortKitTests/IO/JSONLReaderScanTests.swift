import XCTest

@testable import CohortKit

/// The reader's eight-bytes-at-a-time search for the end of string text finds exactly the byte a
/// plain loop finds: a quote, a backslash or a control character, never a UTF-8 byte of 0x80 and
/// above, at any offset and next to any neighbours.
final class JSONLReaderScanTests: XCTestCase {
    func plainNextSpecial(_ b: [UInt8], from: Int, end: Int) -> Int {
        var j = from
        while j < end, !(b[j] == 34 || b[j] == 92 || b[j] < 0x20) { j += 1 }
        return j
    }

    func testFindsTheSameByteAsAPlainLoop() {
        var rng = SplitMix64(seed: 23)
        // Mostly plain text with the bytes that matter, their neighbours and UTF-8 bytes mixed in.
        let alphabet: [UInt8] = [
            0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0x9F, 0xA2, 0xDC, 0xE3, 0xFF,
        ]
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...40, using: &rng)
            let b: [UInt8] = (0..<n).map { _ in
                Int.random(in: 0..<4, using: &rng) == 0
                    ? alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
                    : UInt8.random(in: 0x30...0x7A, using: &rng)
            }
            let from = Int.random(in: 0...n, using: &rng)
            let end = Int.random(in: from...n, using: &rng)
            let got = b.withUnsafeBufferPointer { JSONLReader.nextSpecial($0, from: from, end: end) }
            XCTAssertEqual(got, plainNextSpecial(b, from: from, end: end), "\(b) from \(from) to \(end)")
        }
    }

    /// Every special byte at every position of a 17-byte run, alone among plain and UTF-8 bytes.
    func testEachSpecialByteAtEachPosition() {
        for special in [UInt8(34), 92] + (0..<0x20).map(UInt8.init) {
            for filler in [UInt8(ascii: "a"), 0xE3, 0x80, 0xFF, 0x21, 0x5D] {
                for k in 0..<17 {
                    var b = [UInt8](repeating: filler, count: 17)
                    b[k] = special
                    let got = b.withUnsafeBufferPointer { JSONLReader.nextSpecial($0, from: 0, end: 17) }
                    XCTAssertEqual(got, k, "byte \(special) at \(k) among \(filler)")
                }
            }
        }
    }
}
