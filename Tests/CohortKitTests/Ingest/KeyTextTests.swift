import XCTest

@testable import CohortKit

/// Which characters make an id or key a reject, and how rejects show them.
final class KeyTextTests: XCTestCase {
    private func problem(_ s: String) -> String? {
        var s = s
        return s.withUTF8 { KeyText.problem($0) }
    }

    private func escaped(_ bytes: [UInt8]) -> String { bytes.withUnsafeBufferPointer { KeyText.escaped($0) } }

    func testCleanKeysPass() {
        for ok in ["C1", "cus_123-ABC", "顧客 42", "Müller GmbH", "a b", "🙂"] { XCTAssertNil(problem(ok), ok) }
    }

    func testInvisibleCharactersAreNamed() {
        XCTAssertEqual(problem("C1\u{0}"), "contains U+0000 (a control character) at character 3")
        XCTAssertEqual(problem("\u{FEFF}C1"), "contains U+FEFF (a byte-order mark) at character 1")
        XCTAssertEqual(problem("C\t1"), "contains U+0009 (a control character) at character 2")
        for s in [
            "\u{1}", "\u{1F}", "\u{7F}", "\u{85}", "\u{FFFE}", "\u{FFFF}", "\u{61C}", "\u{200E}", "\u{200F}",
            "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}",
        ] {
            XCTAssertNotNil(problem("a" + s + "b"), "U+\(String(s.unicodeScalars.first!.value, radix: 16))")
        }
        XCTAssertNil(problem("a\u{2065}b"), "U+2065 is not a bidi control")
    }

    func testEscapedValueShowsWhatTheFieldHeld() {
        XCTAssertEqual(escaped(Array("C1\u{0}".utf8)), "C1\\u0000")
        XCTAssertEqual(escaped(Array("x\u{202E}y".utf8)), "x\\u202ey")
        XCTAssertEqual(escaped([0x67, 0xFF, 0x68]), "g\\xFFh")
        XCTAssertEqual(escaped(Array("顧客".utf8)), "顧客")
    }
}
