/// Escaping of strings that came from input data, for each output syntax.
///
/// Channel names, attribute values, reasons and paths are data: a value must never break a
/// table, open a tag, start a link or run a script, reverse the text around it, or hide a
/// difference. Characters that display as nothing (C0 and C1 controls, NUL, bidirectional
/// controls, zero-width and other format characters) are shown as a visible `\uXXXX` escape, so
/// two labels that differ only in them look different and no output carries a NUL.
///
/// - Complexity: every function here is O(n) in the length of its input.
public enum Escaping {
    /// Escapes text for HTML element content and double- or single-quoted attribute values.
    ///
    /// `&`, `<`, `>`, `"` and `'` become entities; tab and newline stay; invisible characters
    /// (see `isInvisible`) become a visible `\uXXXX`.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if isInvisible(scalar) {
                    appendVisibleEscape(scalar, to: &out)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Plain text with each invisible character (see `isInvisible`) as a visible `\uXXXX`, for
    /// outputs with no markup of their own (the spreadsheet exports): a label ending in U+200E
    /// does not look like the label without it, and U+202E does not reverse the cells after it.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isInvisible) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if isInvisible(scalar) {
                appendVisibleEscape(scalar, to: &out)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a label from input data for HTML element content and isolates it in `<bdi>` when it
    /// holds right-to-left letters or bidirectional controls, so it cannot reorder the text
    /// around it (a right-to-left channel name next to a number in a table cell).
    public static func htmlLabel(_ text: String) -> String {
        needsIsolation(text) ? "<bdi>" + html(text) + "</bdi>" : html(text)
    }

    /// Escapes a raw input line (a CSV row, a JSON Lines record) for HTML element content so it
    /// reads in its byte order: left to right (`dir="ltr"`, isolated from the text around it),
    /// each field holding right-to-left letters in a `<bdi>` of its own. Isolating the whole line
    /// at once is not enough: the numbers and commas after an Arabic field would join its
    /// right-to-left run, and `…,مؤسسة,2024-06-12,,,-44655.60` would read `…44655.60-,,,12-06-2024,مؤسسة`.
    public static func htmlRawLine(_ line: String) -> String {
        let scalars = Array(line.unicodeScalars)
        var out = "<bdi dir=\"ltr\">"
        var start = 0
        func piece(_ range: Range<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return html(String(view))
        }
        for field in rightToLeftFields(scalars) {
            out += piece(start..<field.lowerBound) + "<bdi>" + piece(field) + "</bdi>"
            start = field.upperBound
        }
        return out + piece(start..<scalars.count) + "</bdi>"
    }

    /// Escapes a raw input line for a Markdown table cell (see `markdown`) so it reads in its byte
    /// order: when it holds right-to-left letters, the line inside the isolates U+2066 (left to
    /// right) … U+2069 and each such field inside U+2068 … U+2069 (see `htmlRawLine`). A line
    /// without them is escaped as any value, so a copied line holds no invisible characters.
    public static func markdownRawLine(_ line: String) -> String {
        let fields = rightToLeftFields(Array(line.unicodeScalars))
        guard !fields.isEmpty else { return markdown(line) }
        return "\u{2066}" + markdown(line, isolating: fields) + "\u{2069}"
    }

    /// Whether a character separates the fields of a raw line: the CSV delimiters and quote, and
    /// the punctuation of a JSON record.
    private static func separatesFields(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ",", ";", "\t", "|", "\"", ":", "{", "}", "[", "]": return true
        default: return false
        }
    }

    /// The fields of `scalars` (runs between separators, as scalar offsets) that hold a
    /// right-to-left letter or a bidirectional control, in order.
    static func rightToLeftFields(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        var start = 0
        var isolate = false
        for (i, scalar) in scalars.enumerated() {
            if separatesFields(scalar) {
                if isolate { fields.append(start..<i) }
                start = i + 1
                isolate = false
            } else if needsIsolation(scalar) {
                isolate = true
            }
        }
        if isolate { fields.append(start..<scalars.count) }
        return fields
    }

    /// Characters that GitHub-flavoured Markdown may read as syntax inside a line.
    private static func isMarkdownSpecial(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "!", "~", "&", "@", "$": return true
        default: return false
        }
    }

    /// Escapes text for one line of GitHub-flavoured Markdown (a paragraph or a table cell).
    ///
    /// Every syntax character is backslash-escaped, so `|` cannot end a cell and `<`, `[`, `!`
    /// cannot open HTML, links or images; `@`, `www.` and a scheme's `:` are escaped so that bare
    /// e-mail addresses and URLs are not turned into links; a leading `-`, `+`, `=` or a leading
    /// `1. ` cannot start a list or heading. Numbers like `117.1%` and times like `02:36` stay as
    /// they are. Line breaks (the Unicode line and paragraph separators too) become spaces so
    /// that a value stays inside its line; invisible
    /// characters become a visible `\uXXXX` (its backslash escaped); a value holding right-to-left
    /// letters is wrapped in the isolates U+2068 … U+2069 so it cannot reorder its neighbours.
    ///
    /// The decisions look back only at a fixed window of what was written (the last three
    /// characters, and whether everything so far is digits), so escaping is linear in the length.
    public static func markdown(_ text: String) -> String {
        markdown(text, isolating: needsIsolation(text) ? [0..<text.unicodeScalars.count] : [])
    }

    /// `markdown`, wrapping each of `spans` (scalar offsets, in order, not overlapping) in the
    /// isolates U+2068 … U+2069 rather than the whole text.
    static func markdown(_ text: String, isolating spans: [Range<Int>]) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8 + 6 * spans.count)
        var spans = spans[...]
        var offset = 0
        var atStart = true
        // What was written so far: only ASCII digits (and at least one), and the last three scalars.
        var allDigits = false
        var written = 0
        var last1: Unicode.Scalar = " "
        var last2: Unicode.Scalar = " "
        var last3: Unicode.Scalar = " "
        func emit(_ s: Unicode.Scalar) {
            out.unicodeScalars.append(s)
            allDigits = (written == 0 || allDigits) && ("0"..."9").contains(s)
            written += 1
            last3 = last2
            last2 = last1
            last1 = s
        }
        var it = text.unicodeScalars.makeIterator()
        var next = it.next()
        while let scalar = next {
            next = it.next()
            // The isolates go around the escaped text and play no part in the decisions below.
            if let span = spans.first, span.lowerBound == offset, !span.isEmpty {
                out.unicodeScalars.append("\u{2068}")
            }
            offset += 1
            defer {
                if let span = spans.first, span.upperBound <= offset {
                    if !span.isEmpty { out.unicodeScalars.append("\u{2069}") }
                    spans = spans.dropFirst()
                }
            }
            if scalar == "\n" || scalar == "\r" || scalar == "\t" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                emit(" ")
                continue
            }
            if isInvisible(scalar) {
                var escaped = ""
                appendVisibleEscape(scalar, to: &escaped)
                emit("\\")
                for s in escaped.unicodeScalars { emit(s) }
                atStart = false
                continue
            }
            let following = next ?? " "
            if isMarkdownSpecial(scalar) || (atStart && (scalar == "-" || scalar == "+" || scalar == "=")) {
                emit("\\")
            } else if scalar == "." && (endsWithWww(last3, last2, last1) || (following == " " && allDigits)) {
                // "www." is an autolink; "1. " at a line start is a list item.
                emit("\\")
            } else if scalar == ":" && isASCIILetter(last1) && written > 0 {
                // "http:", "mailto:": the start of an autolink.
                emit("\\")
            }
            emit(scalar)
            atStart = false
        }
        return out
    }

    private static func endsWithWww(_ a: Unicode.Scalar, _ b: Unicode.Scalar, _ c: Unicode.Scalar) -> Bool {
        (a == "w" || a == "W") && (b == "w" || b == "W") && (c == "w" || c == "W")
    }

    private static func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s)
    }

    /// Whether a character displays as nothing or changes the direction of the text around it:
    /// C0 and C1 controls, DEL, and every format character (general category Cf: the
    /// bidirectional controls U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C, zero-width
    /// spaces and joiners, U+FEFF, soft hyphen, tags).
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        if v < 0xAD { return false }
        return scalar.properties.generalCategory == .format
    }

    /// Whether text holds a bidirectional control or a right-to-left letter (Hebrew, Arabic,
    /// Syriac, Thaana, N'Ko and their presentation forms, and the historic right-to-left scripts).
    public static func needsIsolation(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: needsIsolation)
    }

    /// Whether a character is a bidirectional control or a right-to-left letter (see `needsIsolation`).
    static func needsIsolation(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFE, 0x10800...0x10FFF, 0x1E800...0x1EFFF: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: return true
        default: return false
        }
    }

    /// Appends `\uXXXX` (at least four upper-case hex digits) for `scalar`.
    static func appendVisibleEscape(_ scalar: Unicode.Scalar, to out: inout String) {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
