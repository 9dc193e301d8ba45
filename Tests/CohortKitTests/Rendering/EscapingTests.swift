import XCTest
@testable import CohortKit

final class EscapingTests: XCTestCase {
    func testHTMLEscapesTheFiveSpecialCharacters() {
        XCTAssertEqual(Escaping.html("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f")
        XCTAssertEqual(Escaping.html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;")
    }

    func testHTMLDropsControlCharactersButKeepsTextAndNewlines() {
        XCTAssertEqual(Escaping.html("a\u{0}b\u{7}c\nd\te"), "abc\nd\te")
        XCTAssertEqual(Escaping.html("継続率 ¥"), "継続率 ¥")
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

    func testMarkdownLeavesNumbersAndTimesReadable() {
        XCTAssertEqual(Escaping.markdown("117.1%"), "117.1%")
        XCTAssertEqual(Escaping.markdown("2026-11-23T02:36:50Z"), "2026-11-23T02:36:50Z")
        // Still neutralised: a list item, a URL scheme and a javascript: link.
        XCTAssertEqual(Escaping.markdown("1. item"), "1\\. item")
        XCTAssertEqual(Escaping.markdown("https://example.com"), "https\\://example.com")
        XCTAssertEqual(Escaping.markdown("javascript:alert(1)"), "javascript\\:alert(1)")
    }
}
