import XCTest

@testable import CohortKit

/// `utf8Precedes` orders strings exactly as `utf8.lexicographicallyPrecedes` does: by bytes, a
/// prefix first, whatever the script or normalisation form.
final class ByteOrderTests: XCTestCase {
    /// `equal` answers as `==` on arrays for every length up to 40 and a difference at every
    /// position (its short cases compare overlapping words), on separate copies placed at odd
    /// offsets inside larger buffers (unaligned loads).
    func testEqualFindsADifferenceAtEveryPositionAndLength() {
        var rng = SplitMix64(seed: 7)
        for n in 0...40 {
            let x = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let a = [0xAA, 0xBB, 0xCC] + x + [0xDD]  // x at offset 3
            func equal(_ other: [UInt8]) -> Bool {
                let b = [0x11] + other + [0x22, 0x33]  // at offset 1: a separate buffer
                return a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        UTF8Order.equal(
                            UnsafeBufferPointer(rebasing: pa[3..<(3 + n)]),
                            UnsafeBufferPointer(rebasing: pb[1..<(1 + other.count)]))
                    }
                }
            }
            XCTAssertTrue(equal(x), "length \(n)")
            for i in 0..<n {
                var changed = x
                changed[i] ^= UInt8(1 << (i % 8))
                XCTAssertFalse(equal(changed), "length \(n), byte \(i)")
            }
            XCTAssertFalse(equal(x + [0]), "length \(n) against \(n + 1)")
        }
    }

    func testAgreesWithTheGenericByteOrder() {
        var rng = SplitMix64(seed: 7)
        let pieces = ["", "a", "b", "A", "C1", "C10", "C2", " ", "é", "e\u{301}", "日本", "\u{212A}", "z", "\u{10FFFF}"]
        func word() -> String {
            (0..<Int.random(in: 0...4, using: &rng)).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
                .joined()
        }
        for _ in 0..<20_000 {
            let a = word()
            let b = word()
            XCTAssertEqual(
                a.utf8Precedes(b), a.utf8.lexicographicallyPrecedes(b.utf8),
                "\(a.debugDescription) vs \(b.debugDescription)")
        }
        XCTAssertTrue("C1".utf8Precedes("C10"))
        XCTAssertFalse("C10".utf8Precedes("C1"))
        XCTAssertFalse("x".utf8Precedes("x"))
        XCTAssertTrue("".utf8Precedes("a"))
        XCTAssertTrue("Z".utf8Precedes("a"), "uppercase before lowercase")
        XCTAssertTrue("e\u{301}".utf8Precedes("\u{E9}"), "decomposed é (65 CC 81) before composed (C3 A9)")
    }
}
