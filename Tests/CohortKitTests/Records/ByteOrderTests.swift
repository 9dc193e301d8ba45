import XCTest

@testable import CohortKit

/// `utf8Precedes` orders strings exactly as `utf8.lexicographicallyPrecedes` does: by bytes, a
/// prefix first, whatever the script or normalisation form.
final class ByteOrderTests: XCTestCase {
    /// `equal` answers as `==` on arrays for every length up to 40 and a difference at every
    /// position (its short cases compare overlapping words).
    func testEqualFindsADifferenceAtEveryPositionAndLength() {
        var rng = SplitMix64(seed: 7)
        for n in 0...40 {
            let x = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            x.withUnsafeBufferPointer { a in
                var same = x
                same.withUnsafeBufferPointer { XCTAssertTrue(UTF8Order.equal(a, $0), "length \(n)") }
                for i in 0..<n {
                    same = x
                    same[i] ^= UInt8(1 << (i % 8))
                    same.withUnsafeBufferPointer { XCTAssertFalse(UTF8Order.equal(a, $0), "length \(n), byte \(i)") }
                }
                let longer = x + [0]
                longer.withUnsafeBufferPointer { XCTAssertFalse(UTF8Order.equal(a, $0)) }
            }
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
