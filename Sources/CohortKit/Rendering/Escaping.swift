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
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        let isolate = needsIsolation(text)
        if isolate { out.unicodeScalars.append("\u{2068}") }
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
        if isolate { out.unicodeScalars.append("\u{2069}") }
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
        for s in text.unicodeScalars where s.value >= 0x590 {
            switch s.value {
            case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFE, 0x10800...0x10FFF, 0x1E800...0x1EFFF: return true
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: return true
            default: continue
            }
        }
        return false
    }

    /// Appends `\uXXXX` (at least four upper-case hex digits) for `scalar`.
    static func appendVisibleEscape(_ scalar: Unicode.Scalar, to out: inout String) {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
