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
        XCTAssertEqual(
            problem("\u{FEFF}C1"), "contains U+FEFF ZERO WIDTH NO-BREAK SPACE (a byte-order mark) at character 1")
        XCTAssertEqual(problem("C\t1"), "contains U+0009 (a control character) at character 2")
        for s in [
            "\u{1}", "\u{1F}", "\u{7F}", "\u{85}", "\u{FFFE}", "\u{FFFF}", "\u{61C}", "\u{200E}", "\u{200F}",
            "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}",
        ] {
            XCTAssertNotNil(problem("a" + s + "b"), "U+\(String(s.unicodeScalars.first!.value, radix: 16))")
        }
        XCTAssertEqual(problem("a\u{2065}b"), "contains U+2065 (an invisible character) at character 2")
    }

    /// A blank braille pattern shows as a space and noncharacters show as nothing: in an id or a
    /// label either would make a second value that looks like the first.
    func testBrailleBlankAndNoncharactersAreRejected() {
        XCTAssertEqual(
            problem("partner\u{2800}"),
            "contains U+2800 BRAILLE PATTERN BLANK (a blank braille pattern, shown as a space) at character 8")
        var label = "partner\u{2800}"
        XCTAssertNotNil(label.withUTF8 { KeyText.problem($0, label: true) })
        for v: UInt32 in [0xFDD0, 0xFDEF, 0x1FFFE, 0x10FFFF] {
            let s = String(Character(Unicode.Scalar(v)!))
            XCTAssertEqual(problem("C" + s + "1")?.contains("(a noncharacter)"), true, String(v, radix: 16))
        }
        XCTAssertNil(problem("\u{2801}"), "a braille letter is text")
    }

    /// An ASCII id typed in full-width forms reads as its ASCII spelling, for the reject to name;
    /// Japanese text with a full-width letter, plain ASCII, and labels are left alone.
    func testFullWidthASCIIIdsAreSpelledInASCII() {
        func spelling(_ s: String, label: Bool = false) -> String? {
            var s = s
            var ascii: String? = nil
            let p = s.withUTF8 { KeyText.problem($0, label: label, asciiSpelling: &ascii) }
            XCTAssertNil(p, s)
            return ascii
        }
        XCTAssertEqual(spelling("\u{FF23}\u{FF10}\u{FF10}\u{FF11}"), "C001")
        XCTAssertEqual(spelling("C\u{FF10}0\u{FF11}"), "C001")
        XCTAssertEqual(spelling("\u{FF01}\u{FF5E}"), "!~")
        XCTAssertNil(spelling("\u{30D7}\u{30E9}\u{30F3}\u{FF21}"), "a Japanese name with a full-width letter")
        XCTAssertNil(spelling("C001"))
        XCTAssertNil(spelling("\u{FF23}\u{FF11}", label: true), "labels are text")
    }

    /// ASCII mixed with Cyrillic or Greek letters drawn like Latin ones reads as the ASCII value
    /// (ids, keys and labels alike); text written in Cyrillic or Greek, or mixing in a letter with
    /// no Latin look-alike, is data and is left alone.
    func testCyrillicAndGreekLookAlikesMixedIntoASCIIAreNamed() {
        func issue(_ s: String, label: Bool = false) -> KeyText.Issue? {
            var s = s
            return s.withUTF8 { KeyText.issue($0, label: label) }
        }
        // Look-alikes with digits only: named for an id (ingest decides by the column's other
        // values, IngestLookAlikeTests), text for a label (`ΚΡΗΤΗ-2`).
        XCTAssertEqual(
            issue("\u{0421}0000001"), .otherScript(ascii: "C0000001", first: "\u{0421}", at: 1, latinLetters: false))
        XCTAssertNil(issue("\u{039A}\u{03A1}\u{0397}\u{03A4}\u{0397}-2", label: true))
        XCTAssertEqual(
            issue("p\u{0430}id_search", label: true),
            .otherScript(ascii: "paid_search", first: "\u{0430}", at: 2, latinLetters: true))
        XCTAssertEqual(
            issue("S1-\u{039F}\u{039A}"), .otherScript(ascii: "S1-OK", first: "\u{039F}", at: 4, latinLetters: true))
        XCTAssertEqual(
            issue("\u{0456}d-7\u{0455}"), .otherScript(ascii: "id-7s", first: "\u{0456}", at: 1, latinLetters: true))
        for kept in [
            "\u{041C}\u{043E}\u{0441}\u{043A}\u{0432}\u{0430}",  // Москва: в looks like no Latin letter
            "\u{041C}\u{043E}\u{0441}\u{043A}\u{0432}\u{0430}-A",  // mixed in, but with в
            "\u{0421}\u{041E}\u{0420}",  // СОР: only look-alikes, but no ASCII letter or digit
            "-\u{0430}-",  // no ASCII letter or digit
            "C0000001", "Müller \u{0430}",
        ] {
            XCTAssertNil(issue(kept), kept)
            XCTAssertNil(issue(kept, label: true), kept)
        }
        XCTAssertEqual(issue("\u{FF23}1"), .fullWidth(ascii: "C1"), "full width comes first in an id")
        XCTAssertNil(issue("\u{FF23}1", label: true), "a label in full width is text")
        XCTAssertEqual(
            issue("\u{0421}1\u{200B}"),
            .character("contains U+200B ZERO WIDTH SPACE (an invisible character) at character 3"))
        for (code, latin) in KeyText.latinLookAlikes {
            let scalar = Unicode.Scalar(code)!
            XCTAssertTrue(
                scalar.properties.isAlphabetic && scalar.properties.isCased, "U+\(String(code, radix: 16)) is a letter")
            XCTAssertTrue(latin.isASCII && latin.properties.isAlphabetic, "maps to a Latin letter")
            XCTAssertEqual(
                scalar.properties.isUppercase, latin.properties.isUppercase,
                "U+\(String(code, radix: 16)) keeps its case")
        }
    }

    /// A long numeric id a spreadsheet saved in scientific notation has lost its digits; ids that
    /// merely hold an E, a plus or a point are ids.
    func testIdsInASpreadsheetsScientificNotationAreRefused() {
        func issue(_ s: String, label: Bool = false) -> KeyText.Issue? {
            var s = s
            return s.withUTF8 { KeyText.issue($0, label: label) }
        }
        for mangled in ["1.23457E+11", "4E+15", "9.9E+100", "1.23456789012345E+19", "1.2E+05"] {
            XCTAssertEqual(issue(mangled), .scientific, mangled)
            XCTAssertNil(issue(mangled, label: true), "a label is text: \(mangled)")
        }
        for kept in [
            "123456789012", "1.23457E11", "1.23457e+11", "E+11", "1.E+11", ".5E+11", "1.2E+1", "1.2E+1234",
            "C1.2E+11", "1.2.3E+11", "1.2E+1a", "1,23E+11", "A1E+15", "1.234567890123456E+19", "E+111",
        ] {
            XCTAssertNil(issue(kept), kept)
        }
    }

    /// A no-break or ideographic space inside an id would make a second id that looks like the
    /// first; inside a label (a Japanese store name) it is text. The line separator breaks lines
    /// in every output, so neither may hold it.
    func testNonASCIISpacesAreRejectedInsideIdsButNotLabels() {
        XCTAssertEqual(
            problem("C\u{A0}1"),
            "contains U+00A0 NO-BREAK SPACE (a space other than the ASCII space) at character 2")
        XCTAssertNotNil(problem("顧客\u{3000}42"))
        XCTAssertNotNil(problem("a\u{202F}b"))
        var label = "東京\u{3000}本店"
        XCTAssertNil(label.withUTF8 { KeyText.problem($0, label: true) })
        for separator in ["\u{2028}", "\u{2029}"] {
            var s = "organic" + separator + "paid"
            XCTAssertEqual(
                s.withUTF8 { KeyText.problem($0, label: true) }?.contains("a line or paragraph separator"), true)
        }
        XCTAssertEqual(escaped(Array("C\u{A0}1".utf8)), "C\\u00a01")
    }

    /// Fields are trimmed of every space separator at both ends, not only ASCII spaces and tabs;
    /// zero-width characters are not spaces (they stay, for `problem` to reject).
    func testTrimmingRemovesUnicodeSpacesAtBothEnds() {
        func trimmed(_ s: String) -> String {
            var s = s
            return s.withUTF8 { String(decoding: IngestStage.trimmed($0), as: UTF8.self) }
        }
        XCTAssertEqual(trimmed("C1\u{A0}"), "C1")
        XCTAssertEqual(trimmed("\u{3000} C1 \u{A0}\t"), "C1")
        XCTAssertEqual(trimmed("\u{2000}\u{200A}\u{202F}\u{205F}\u{1680}x\u{3000}"), "x")
        XCTAssertEqual(trimmed("\u{A0}\u{3000} "), "")
        XCTAssertEqual(trimmed("東京\u{3000}本店"), "東京\u{3000}本店")
        XCTAssertEqual(trimmed("C1\u{200B}"), "C1\u{200B}")
        // Characters whose last bytes look like a space's are not spaces: U+00E0 ends in A0 and
        // U+3040's bytes E3 81 80 differ from U+3000's in the middle.
        XCTAssertEqual(trimmed("\u{E0}"), "\u{E0}")
        XCTAssertEqual(trimmed("\u{3041}"), "\u{3041}")
        XCTAssertEqual(" \u{A0}paid\u{3000}".trimmingSpaces, "paid")
        XCTAssertEqual("paid".trimmingSpaces, "paid")
    }

    /// Random fields of spaces, tabs, Unicode spaces, control characters, letters and
    /// non-space multi-byte characters at either end: trimming equals dropping space scalars
    /// (the ASCII space, the tab and `UnicodeSpace`'s) from both ends, whichever path it takes.
    func testTrimmingEqualsDroppingSpaceScalarsFromBothEnds() {
        let alphabet: [String] = [
            "a", "Z", "1", "-", " ", "\t", "\u{1}", "\u{7F}", "\u{A0}", "\u{3000}", "\u{2009}", "\u{E0}", "\u{3041}",
            "é", "東", "\u{200B}",
        ]
        func isSpace(_ u: Unicode.Scalar) -> Bool { u == " " || u == "\t" || UnicodeSpace.contains(u) }
        var rng = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            var field = ""
            for _ in 0..<Int(rng.next() % 7) { field += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            var scalars = Array(field.unicodeScalars)
            while let f = scalars.first, isSpace(f) { scalars.removeFirst() }
            while let l = scalars.last, isSpace(l) { scalars.removeLast() }
            var expected = ""
            expected.unicodeScalars.append(contentsOf: scalars)
            var s = field
            let got = s.withUTF8 { String(decoding: IngestStage.trimmed($0), as: UTF8.self) }
            XCTAssertEqual(got, expected, "field \(Array(field.unicodeScalars).map { String($0.value, radix: 16) })")
        }
    }

    func testFormatAndDefaultIgnorableCharactersAreRejectedInIds() {
        XCTAssertEqual(
            problem("C1\u{200B}"), "contains U+200B ZERO WIDTH SPACE (an invisible character) at character 3")
        XCTAssertEqual(problem("C\u{AD}1"), "contains U+00AD SOFT HYPHEN (an invisible character) at character 2")
        for s in [
            "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{2064}", "\u{34F}", "\u{115F}", "\u{3164}",
            "\u{FE0F}", "\u{FFA0}", "\u{FFF9}", "\u{E0001}", "\u{E0041}", "\u{E0100}", "\u{1D173}", "\u{600}",
        ] {
            let name = "U+\(String(s.unicodeScalars.first!.value, radix: 16))"
            XCTAssertNotNil(problem("\u{9867}" + s + "\u{5BA2}"), name)
            XCTAssertEqual(escaped(Array(("a" + s).utf8)).prefix(3), "a\\u", name)
        }
        // Visible characters stay allowed (non-ASCII spaces are not: see above).
        for ok in ["é", "\u{1F1EF}\u{1F1F5}", "\u{E9}", "\u{AE}"] {
            XCTAssertNil(problem(ok), ok)
        }
    }

    func testLabelsMayJoinNonASCIILettersButNotHideCharacters() {
        func label(_ s: String) -> String? {
            var s = s
            return s.withUTF8 { KeyText.problem($0, label: true) }
        }
        // Persian with a zero-width non-joiner, an emoji ZWJ sequence, an emoji with its selector.
        for ok in [
            "\u{645}\u{6CC}\u{200C}\u{62E}", "\u{1F469}\u{200D}\u{1F4BB}", "\u{2764}\u{FE0F}",
            "\u{2764}\u{FE0F}\u{200D}\u{1F525}", "a\u{202E}b",
        ] {
            XCTAssertNil(label(ok), ok)
            XCTAssertNotNil(problem(ok), ok)
        }
        for bad in ["web\u{200B}", "w\u{200D}eb", "\u{645}\u{200C}", "\u{200C}\u{645}", "x\u{FE0F}", "a\u{AD}b"] {
            XCTAssertNotNil(label(bad), bad)
        }
    }

    func testOverLengthCountsCharactersOnlyAboveTheLimit() {
        func over(_ s: String, _ limit: Int = KeyText.maxCharacters) -> Int? {
            var s = s
            return s.withUTF8 { KeyText.overLength($0, limit: limit) }
        }
        XCTAssertEqual(KeyText.maxCharacters, 256)
        XCTAssertNil(over(String(repeating: "a", count: 256)))
        XCTAssertEqual(over(String(repeating: "a", count: 257)), 257)
        // 256 three-byte characters are 768 bytes but 256 characters.
        XCTAssertNil(over(String(repeating: "顧", count: 256)))
        XCTAssertEqual(over(String(repeating: "顧", count: 300)), 300)
    }

    func testAnExampleRowIsCutAtItsLimitOnACharacterBoundary() {
        XCTAssertEqual(IngestStage.SourceRun.example("short"), "short")
        XCTAssertEqual(IngestStage.SourceRun.example("abcdef", limit: 4), "abcd… (6 bytes)")
        // "顧" is three bytes: a cut inside it moves back to its start.
        XCTAssertEqual(IngestStage.SourceRun.example("a顧b", limit: 2), "a… (5 bytes)")
        XCTAssertEqual(IngestStage.SourceRun.exampleLimit, 1000)
    }

    func testEscapedTextForMessages() {
        XCTAssertEqual(KeyText.escaped("customer_id\u{0}"), "customer_id\\u0000")
        XCTAssertEqual(KeyText.escaped(columns: ["a\u{1B}[31m", "b"]), "a\\u001b[31m, b")
    }

    func testEscapedValueShowsWhatTheFieldHeld() {
        XCTAssertEqual(escaped(Array("C1\u{0}".utf8)), "C1\\u0000")
        XCTAssertEqual(escaped(Array("x\u{202E}y".utf8)), "x\\u202ey")
        XCTAssertEqual(escaped([0x67, 0xFF, 0x68]), "g\\xFFh")
        XCTAssertEqual(escaped(Array("顧客".utf8)), "顧客")
    }

    /// Text converted from Shift_JIS shows a byte the conversion could not read as the file has
    /// it (`\x81`), not as the two bytes of its mark; other text shows the mark's bytes as they are.
    func testEscapedValueShowsAnUnconvertedByteAsTheFileHasIt() {
        let mark = TextDecoding.conversionMark(0x81)
        let field = Array("a".utf8) + [mark.lead, mark.continuation] + Array("b".utf8) + [0xFF]
        XCTAssertEqual(field.withUnsafeBufferPointer { KeyText.escaped($0, conversionMarks: true) }, "a\\x81b\\xFF")
        XCTAssertEqual(escaped(field), "a\\xE3\\x81b\\xFF")
    }
}
