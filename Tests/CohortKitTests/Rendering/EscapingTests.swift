import XCTest

@testable import CohortKit

final class EscapingTests: XCTestCase {
    func testHTMLEscapesTheFiveSpecialCharacters() {
        XCTAssertEqual(Escaping.html("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f")
        XCTAssertEqual(Escaping.html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;")
    }

    func testHTMLShowsControlCharactersButKeepsTextAndNewlines() {
        XCTAssertEqual(Escaping.html("a\u{0}b\u{7}c\nd\te"), "a\\u0000b\\u0007c\nd\te")
        XCTAssertEqual(Escaping.html("継続率 ¥"), "継続率 ¥")
    }

    func testInvisibleCharactersAreShownSoLabelsStayDistinct() {
        // Bidirectional controls, zero-width characters, BOM, soft hyphen, C1 controls.
        for scalar: Unicode.Scalar in [
            "\u{202E}", "\u{202A}", "\u{2066}", "\u{2069}", "\u{200E}", "\u{200F}", "\u{061C}",
            "\u{200B}", "\u{FEFF}", "\u{00AD}", "\u{85}", "\u{0}", "\u{E0041}",
        ] {
            let label = "a" + String(Character(scalar)) + "b"
            XCTAssertFalse(Escaping.html(label).unicodeScalars.contains(scalar), "html \(scalar.value)")
            // Markdown wraps a label holding bidirectional controls in U+2068 ... U+2069.
            let md = Escaping.markdown(label).unicodeScalars
            let inner = md.first == "\u{2068}" && md.last == "\u{2069}" ? Array(md.dropFirst().dropLast()) : Array(md)
            XCTAssertFalse(inner.contains(scalar), "markdown \(scalar.value)")
            XCTAssertNotEqual(Escaping.html(label), Escaping.html("ab"))
            XCTAssertNotEqual(Escaping.markdown(label), Escaping.markdown("ab"))
        }
        XCTAssertEqual(Escaping.html("a\u{202E}b"), "a\\u202Eb")
        XCTAssertEqual(Escaping.markdown("a\u{200B}b"), "a\\\\u200Bb", "the escape's backslash is itself escaped")
        XCTAssertEqual(Escaping.html("x\u{E0041}"), "x\\uE0041")
    }

    func testRightToLeftAndBidiLabelsAreIsolated() {
        XCTAssertEqual(Escaping.htmlLabel("web"), "web", "plain labels are not wrapped")
        XCTAssertEqual(Escaping.htmlLabel("継続率"), "継続率")
        XCTAssertEqual(Escaping.htmlLabel("\u{202E}lanoitan"), "<bdi>\\u202Elanoitan</bdi>")
        XCTAssertEqual(Escaping.htmlLabel("שלום <b>"), "<bdi>שלום &lt;b&gt;</bdi>")
        XCTAssertEqual(Escaping.markdown("مرحبا"), "\u{2068}مرحبا\u{2069}")
        XCTAssertEqual(Escaping.markdown("abc"), "abc")
    }

    /// A megabyte of dots and of "www." once took minutes (each dot rescanned everything written
    /// so far). The result's structure is checked, not the time: a quadratic escaper would not
    /// finish within the suite's patience.
    func testMarkdownEscapingOfAMegabyteIsExactAndLinear() {
        let dots = String(repeating: ".", count: 1_000_000)
        XCTAssertEqual(Escaping.markdown(dots), dots, "dots alone are not syntax")
        let www = String(repeating: "www.", count: 250_000)
        let escaped = Escaping.markdown(www)
        XCTAssertEqual(escaped.utf8.count, 1_250_000, "every www. gets its dot escaped")
        XCTAssertTrue(escaped.hasPrefix("www\\.www\\."))
        let digits = String(repeating: "1", count: 1_000_000) + ". x"
        XCTAssertTrue(
            Escaping.markdown(digits).hasSuffix("1\\. x"), "a long number before '. ' still reads as a list item")
        let colons = String(repeating: "a:", count: 500_000)
        XCTAssertEqual(Escaping.markdown(colons).utf8.count, 1_500_000)
        XCTAssertEqual(Escaping.html(String(repeating: "<", count: 1_000_000)).utf8.count, 4_000_000)
    }

    func testMarkdownEscapesTableAndLinkSyntax() {
        XCTAssertEqual(Escaping.markdown("a|b"), "a\\|b")
        XCTAssertEqual(Escaping.markdown("back\\slash"), "back\\\\slash")
        XCTAssertEqual(Escaping.markdown("`code`"), "\\`code\\`")
        XCTAssertEqual(Escaping.markdown("*_[x]_*"), "\\*\\_\\[x\\]\\_\\*")
        XCTAssertEqual(Escaping.markdown("<b>#1</b>"), "\\<b\\>\\#1\\</b\\>")
        XCTAssertEqual(Escaping.markdown("![img](http://x)"), "\\!\\[img\\](http\\://x)")
    }

    func testMarkdownKeepsValuesOnOneLine() {
        XCTAssertEqual(Escaping.markdown("a\nb\r\nc"), "a b  c")
        // The Unicode line and paragraph separators end a line in some renderers too.
        XCTAssertEqual(Escaping.markdown("a\u{2028}b\u{2029}c"), "a b c")
    }

    func testMarkdownNeutralisesLineStartsAndAutolinks() {
        XCTAssertEqual(Escaping.markdown("- item"), "\\- item")
        XCTAssertEqual(Escaping.markdown("=cmd|' /C calc'!A0"), "\\=cmd\\|' /C calc'\\!A0")
        XCTAssertEqual(Escaping.markdown("12. x"), "12\\. x")
        XCTAssertEqual(Escaping.markdown("www.example.com"), "www\\.example.com")
        XCTAssertEqual(Escaping.markdown("me@example.com"), "me\\@example.com")
        // Minus and dots inside a value stay readable.
        XCTAssertEqual(Escaping.markdown("2024-12 v1.2"), "2024-12 v1.2")
    }

    /// A raw CSV line reads in its byte order: left to right, each field with right-to-left
    /// letters isolated on its own. Isolated as a whole, `…,مؤسسة,2024-06-12,,,-44655.60,…` read
    /// `…44655.60-,,,12-06-2024,مؤسسة…`: the fields after the Arabic joined its run.
    func testARawLineKeepsItsByteOrder() {
        let line = "S0000148-002,C0000148,core,مؤسسة,2024-06-12,,,-44655.60,year,USD"
        XCTAssertEqual(
            Escaping.htmlRawLine(line),
            "<bdi dir=\"ltr\">S0000148-002,C0000148,core,<bdi>مؤسسة</bdi>,2024-06-12,,,-44655.60,year,USD</bdi>")
        XCTAssertEqual(
            Escaping.markdownRawLine(line),
            "\u{2066}S0000148-002,C0000148,core,\u{2068}مؤسسة\u{2069},2024-06-12,,,-44655.60,year,USD\u{2069}")
        // Fields at either end, a quoted field, a JSON record; markup and table syntax escaped.
        XCTAssertEqual(
            Escaping.htmlRawLine("שלום,\"a<b\",עד"),
            "<bdi dir=\"ltr\"><bdi>שלום</bdi>,&quot;a&lt;b&quot;,<bdi>עד</bdi></bdi>")
        XCTAssertEqual(
            Escaping.markdownRawLine("שלום;a|b;עד"), "\u{2066}\u{2068}שלום\u{2069};a\\|b;\u{2068}עד\u{2069}\u{2069}")
        XCTAssertEqual(
            Escaping.htmlRawLine("{\"event\":\"مؤسسة\"}"),
            "<bdi dir=\"ltr\">{&quot;event&quot;:&quot;<bdi>مؤسسة</bdi>&quot;}</bdi>")
        // A line without right-to-left text is only set left to right; Markdown escapes it as usual.
        XCTAssertEqual(Escaping.htmlRawLine("a,b"), "<bdi dir=\"ltr\">a,b</bdi>")
        XCTAssertEqual(Escaping.markdownRawLine("-1,www.x"), "\\-1,www\\.x")
        // A bidirectional control in a field is shown, and the field isolated.
        XCTAssertEqual(Escaping.markdownRawLine("a,b\u{202E}c"), "\u{2066}a,\u{2068}b\\\\u202Ec\u{2069}\u{2069}")
    }

    func testMarkdownLeavesNumbersAndTimesReadable() {
        XCTAssertEqual(Escaping.markdown("117.1%"), "117.1%")
        XCTAssertEqual(Escaping.markdown("2026-11-23T02:36:50Z"), "2026-11-23T02:36:50Z")
        // Still neutralised: a list item, a URL scheme and a javascript: link.
        XCTAssertEqual(Escaping.markdown("1. item"), "1\\. item")
        XCTAssertEqual(Escaping.markdown("https://example.com"), "https\\://example.com")
        XCTAssertEqual(Escaping.markdown("javascript:alert(1)"), "javascript\\:alert(1)")
    }
}
