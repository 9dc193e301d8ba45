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

    /// Indices sorted by an eight-byte prefix first give the texts in the order of
    /// `utf8Precedes`: texts sharing their first eight bytes or fewer, texts that are prefixes of
    /// others, NUL and non-ASCII bytes, the empty text, repeats.
    func testSortedIndicesFollowByteOrder() {
        var rng = SplitMix64(seed: 5)
        let alphabet: [String] = ["a", "b", "\u{0}", "\u{7F}", "é", "日", "Z", "0"]
        var texts = [
            "", "a", "ab", "abcdefgh", "abcdefgh\u{0}", "abcdefghi", "abcdefgg", "abcdefg", "abcdefg\u{0}",
            "cus_0001", "cus_00011", "cus_0001", "21a108de-454d-2692-fdac-3eb5df455618",
            "21a108de-454d-2692-fdac-3eb5df455617", "é", "e\u{301}",
        ]
        for _ in 0..<2000 {
            let n = Int.random(in: 0...12, using: &rng)
            let prefix = Bool.random(using: &rng) ? "shared__" : ""
            texts.append(prefix + (0..<n).map { _ in alphabet.randomElement(using: &rng)! }.joined())
        }
        let expected = texts.sorted { $0.utf8Precedes($1) }.map { Array($0.utf8) }
        XCTAssertEqual(UTF8Order.sortedIndices(of: texts).map { Array(texts[$0].utf8) }, expected)
        XCTAssertEqual(Set(UTF8Order.sortedIndices(of: texts)), Set(texts.indices))
        XCTAssertEqual(UTF8Order.sortedIndices(of: []), [])
    }
}
