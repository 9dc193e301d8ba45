/// Escaping of strings that came from input data, for each output syntax.
///
/// Channel names, attribute values, reasons and paths are data: a value must never break a
/// table, open a tag, start a link or run a script.
public enum Escaping {
    /// Escapes text for HTML element content and double- or single-quoted attribute values.
    ///
    /// `&`, `<`, `>`, `"` and `'` become entities; control characters other than tab and
    /// newline are dropped because HTML forbids them.
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
                if isControl(scalar) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Characters that GitHub-flavoured Markdown may read as syntax inside a line.
    private static let markdownSpecial: Set<Unicode.Scalar> = [
        "\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "!", "~", "&", "@", "$",
    ]

    /// Escapes text for one line of GitHub-flavoured Markdown (a paragraph or a table cell).
    ///
    /// Every syntax character is backslash-escaped, so `|` cannot end a cell and `<`, `[`, `!`
    /// cannot open HTML, links or images; `@`, `www.` and a scheme's `:` are escaped so that bare
    /// e-mail addresses and URLs are not turned into links; a leading `-`, `+`, `=` or a leading
    /// `1. ` cannot start a list or heading. Numbers like `117.1%` and times like `02:36` stay as
    /// they are. Line breaks become spaces so that a value stays inside its line.
    public static func markdown(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var atStart = true
        for (i, scalar) in scalars.enumerated() {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                out += " "
                continue
            }
            if isControl(scalar) { continue }
            let next = i + 1 < scalars.count ? scalars[i + 1] : " "
            if markdownSpecial.contains(scalar) || (atStart && (scalar == "-" || scalar == "+" || scalar == "=")) {
                out += "\\"
            } else if scalar == "." && (endsWithWww(out) || (next == " " && isAllDigits(out))) {
                // "www." is an autolink; "1. " at a line start is a list item.
                out += "\\"
            } else if scalar == ":" && endsWithLetter(out) {
                // "http:", "mailto:": the start of an autolink.
                out += "\\"
            }
            out.unicodeScalars.append(scalar)
            atStart = false
        }
        return out
    }

    private static func isAllDigits(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    private static func endsWithWww(_ s: String) -> Bool { s.lowercased().hasSuffix("www") }

    private static func endsWithLetter(_ s: String) -> Bool {
        guard let last = s.unicodeScalars.last else { return false }
        return ("a"..."z").contains(last) || ("A"..."Z").contains(last)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
