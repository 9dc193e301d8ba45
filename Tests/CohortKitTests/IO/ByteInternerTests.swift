import XCTest

@testable import CohortKit

final class ByteInternerTests: XCTestCase {
    private func id(_ t: inout ByteInterner, _ s: String) -> Int32 {
        Array(s.utf8).withUnsafeBufferPointer { t.id($0) }
    }

    /// Numbers follow first appearance; a repeat gets its first number; the empty string is a
    /// string like any other; two spellings of "é" are two strings.
    func testNumbersFollowFirstAppearanceAndMatchBytes() {
        var t = ByteInterner()
        XCTAssertEqual(id(&t, "{\"a\":1}"), 0)
        XCTAssertEqual(id(&t, ""), 1)
        XCTAssertEqual(id(&t, "Caf\u{e9}"), 2)
        XCTAssertEqual(id(&t, "Cafe\u{301}"), 3)
        XCTAssertEqual(id(&t, "{\"a\":1}"), 0)
        XCTAssertEqual(id(&t, ""), 1)
        XCTAssertEqual(t.count, 4)
        XCTAssertEqual(Array(t[3]), Array("Cafe\u{301}".utf8))
        XCTAssertEqual(Array(t[1]), [])
    }

    /// Past many growths of the index, every string keeps its number and its bytes, and prefixes
    /// of one another stay apart.
    func testManyStringsKeepTheirNumbersAcrossGrowth() {
        var t = ByteInterner()
        let strings = (0..<20_000).map { String(repeating: "x", count: $0 % 7) + "\($0 * 7919 % 20_000)" }
        let first = strings.map { id(&t, $0) }
        XCTAssertEqual(first, (0..<20_000).map(Int32.init))
        XCTAssertEqual(strings.map { id(&t, $0) }, first, "asked again, each string gets its number")
        XCTAssertEqual(t.count, strings.count)
        for k in stride(from: 0, to: strings.count, by: 997) {
            XCTAssertEqual(Array(t[Int32(k)]), Array(strings[k].utf8))
        }
    }

    /// With its index dropped the strings stay readable, and asking again rebuilds the index:
    /// known strings keep their numbers, a new one gets the next.
    func testDroppingTheIndexKeepsStringsAndNumbers() {
        var t = ByteInterner()
        for k in 0..<100 { _ = id(&t, "s\(k)") }
        t.dropIndex()
        XCTAssertEqual(Array(t[42]), Array("s42".utf8))
        XCTAssertEqual(id(&t, "s99"), 99)
        XCTAssertEqual(id(&t, "new"), 100)
        XCTAssertEqual(id(&t, "s0"), 0)
    }

    /// Merging a table numbers its strings as adding them one after another would: strings
    /// both tables hold keep the first table's numbers, new ones follow in the second table's
    /// order, and the bytes read back; merging into an empty table, or one whose index was
    /// dropped, too.
    func testMergingNumbersAsAddingInOrder() {
        var rng = SplitMix64(seed: 3)
        let strings = (0..<5_000).map { _ in
            "v\(rng.next() % 3_000)" + String(repeating: "é", count: Int(rng.next() % 3))
        }
        for (cut, drop) in [(2_000, false), (0, false), (2_500, true), (5_000, false)] {
            var one = ByteInterner()
            let expected = strings.map { id(&one, $0) }
            var first = ByteInterner()
            var second = ByteInterner()
            for s in strings[..<cut] { _ = id(&first, s) }
            for s in strings[cut...] { _ = id(&second, s) }
            if drop { first.dropIndex() }
            let mapped = first.merge(second)
            XCTAssertEqual(mapped.count, second.count)
            var got = [Int32]()
            for s in strings { got.append(id(&first, s)) }
            XCTAssertEqual(got, expected, "cut at \(cut)")
            XCTAssertEqual(first.count, one.count, "no string twice")
            for k in 0..<Int32(second.count) {
                XCTAssertEqual(Array(first[mapped[Int(k)]]), Array(second[k]))
            }
        }
    }
}
