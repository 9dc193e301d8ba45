import Foundation

/// Checks that an id or key field (customer_id, subscription_id, user_id, product, plan,
/// currency, acquisition_channel, event) holds only visible text and is not over-long, and escapes
/// values for rejects.
///
/// An invisible character makes two ids that look the same differ (a phantom customer), so a
/// field holding one is rejected rather than cleaned: NUL and other C0 controls (the tab too;
/// leading and trailing spaces and tabs are trimmed before the check), DEL and C1 controls, the
/// byte-order mark U+FEFF, the noncharacters (U+FFFE/U+FFFF, U+FDD0–U+FDEF and the last two of
/// every plane), the blank braille pattern U+2800 (it shows as a space but is not one), the
/// bidirectional controls U+061C,
/// U+200E/U+200F, U+202A–U+202E and U+2066–U+2069, and every other format character (general
/// category Cf: zero-width space, joiners, word joiner, soft hyphen, tags) or default-ignorable
/// code point (variation selectors, Hangul fillers, combining grapheme joiner), the line and
/// paragraph separators U+2028/U+2029, and in ids and keys (not labels) a space other than the
/// ASCII space inside the value (U+00A0, U+3000: at the ends they are trimmed, see
/// `IngestStage.trimmed`). An id or key that is ASCII written (in part) in full-width forms
/// (`Ｃ０００１` for `C0001`, as Japanese input methods type it) is rejected too
/// (`fullWidthASCII`): it looks like the ASCII id but would be another customer. So is an id, key
/// or label that mixes ASCII with Cyrillic or Greek letters shaped like Latin ones (`С0001` with a
/// Cyrillic С, `latinLookAlike`).
enum KeyText {
    /// `text` in its composed form (NFC), the form ids are compared in (as Swift strings compare,
    /// by canonical equivalence): `é` typed as `e` and a combining accent is `é`. Text whose scalars
    /// are all below U+0300 (no UTF-8 byte from 0xCC up: the combining marks start there) is
    /// composed already, since nothing there decomposes or composes with a neighbour; only other
    /// text pays for Foundation's NFC.
    @inline(__always)
    static func composed(_ text: String) -> String {
        var text = text
        return text.withUTF8(isComposedAsIs) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// Calls `body` with the bytes of `composed(String(decoding: b, as: UTF8.self))`: `b` itself
    /// in the usual case (valid UTF-8 holding no byte that could start a combining mark).
    @inline(__always)
    static func withComposedBytes<R>(_ b: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        TextDecoding.withRepairedUTF8(b) { v in
            if isComposedAsIs(v) { return body(v) }
            var text = String(decoding: v, as: UTF8.self).precomposedStringWithCanonicalMapping
            return text.withUTF8(body)
        }
    }

    /// Whether UTF-8 text is its own composed form without looking further: no byte from 0xCC
    /// up, so no combining mark (U+0300 and above) and nothing NFC could change.
    @inline(__always)
    private static func isComposedAsIs(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in b where c >= 0xCC { return false }
        return true
    }

    /// The longest an id, key or label may be, in characters (Unicode scalars). A label is
    /// repeated on every output row of its segment: a megabyte-long channel would make `cohort`'s
    /// outputs gigabytes long.
    static let maxCharacters = 256

    /// Why the (trimmed) bytes are not a clean key, or nil when they are.
    /// Example: `C1\u{0}` → "contains U+0000 NULL (a control character) at character 3".
    /// With `label`, some invisible characters are allowed where ordinary text needs them:
    /// bidirectional controls (labels written in Arabic or Hebrew; the reports show them escaped
    /// and isolated), and the zero-width (non-)joiners U+200C/U+200D between two non-ASCII
    /// characters and the variation selectors U+FE00–U+FE0F after one (Persian and Indic words,
    /// emoji sequences); anywhere else they are rejected as in ids.
    static func problem(_ b: UnsafeBufferPointer<UInt8>, label: Bool = false) -> String? {
        var spelling: String? = nil
        return problem(b, label: label, asciiSpelling: &spelling)
    }

    /// As `problem(_:label:)`; for an id or key (not a label) with no such problem, also sets
    /// `asciiSpelling` when the value is ASCII typed in full-width forms (`fullWidthASCII`),
    /// looked at only when the value is not plain ASCII.
    static func problem(_ b: UnsafeBufferPointer<UInt8>, label: Bool, asciiSpelling: inout String?) -> String? {
        // Printable ASCII, the usual case, needs no decoding.
        var plain = true
        for c in b where c < 0x20 || c >= 0x7F {
            plain = false
            break
        }
        if plain { return nil }
        if let o = offendingCharacter(b, label: label) {
            return "contains \(named(o.scalar)) (\(o.what)) at character \(o.position)"
        }
        if !label { asciiSpelling = fullWidthASCII(b) }
        return nil
    }

    /// The first character `problem` finds in text that is not printable ASCII: the character,
    /// its position (in characters, from 1) and what kind it is.
    /// `allowingLineBreaks`: tabs and line breaks are not counted (free text).
    static func offendingCharacter(_ b: UnsafeBufferPointer<UInt8>, label: Bool, allowingLineBreaks: Bool = false) -> (
        scalar: Unicode.Scalar, position: Int, what: String
    )? {
        var position = 0
        var previous: Unicode.Scalar? = nil
        var it = String(decoding: b, as: UTF8.self).unicodeScalars.makeIterator()
        var next = it.next()
        while let scalar = next {
            next = it.next()
            position += 1
            if let what = forbidden(scalar), !(label && allowedInLabel(scalar, after: previous, before: next)),
                !(allowingLineBreaks && (scalar == "\t" || scalar == "\n" || scalar == "\r"))
            {
                return (scalar, position, what)
            }
            if !label && UnicodeSpace.contains(scalar) {
                return (scalar, position, "a space other than the ASCII space")
            }
            previous = scalar
        }
        return nil
    }

    /// For a free-text value that reads as a label (a customer attribute, which can be an
    /// attribution dimension): the first character that would make it look like another value —
    /// one `problem` rejects in a label, or a Cyrillic or Greek letter mixed into ASCII
    /// (`latinLookAlike` with an ASCII letter, and the ASCII text it looks like) — and its
    /// position; nil for clean text (printable ASCII costs one scan). Tabs and line breaks are
    /// how free text is written and count for nothing.
    @inline(__always)
    static func lookAlikeCharacter(inLabel b: UnsafeBufferPointer<UInt8>) -> (
        scalar: Unicode.Scalar, position: Int, looksLike: String?
    )? {
        for c in b where c < 0x20 || c >= 0x7F {
            // Tabs and line breaks are how free text (a note, an address) is written.
            if let o = offendingCharacter(b, label: true, allowingLineBreaks: true) {
                return (o.scalar, o.position, nil)
            }
            return latinLookAlike(b).flatMap { $0.latinLetters ? ($0.first, $0.position, $0.ascii) : nil }
        }
        return nil
    }

    /// As `problem(_:label:asciiSpelling:)`, and also the ASCII text a value looks like when it is
    /// one written with look-alike letters: full-width forms (ids and keys only, see
    /// `fullWidthASCII`), or Cyrillic and Greek letters shaped like Latin ones mixed into ASCII (ids,
    /// keys and labels, see `latinLookAlike`). Printable ASCII, the usual case, costs one scan.
    @inline(__always)
    static func issue(_ b: UnsafeBufferPointer<UInt8>, label: Bool) -> Issue? {
        for c in b where c < 0x20 || c >= 0x7F { return unusualIssue(b, label: label) }
        if !label, isSpreadsheetScientific(b) { return .scientific }
        return nil
    }

    /// Whether an id is a number as a spreadsheet shows it in scientific notation (`1.23457E+11`,
    /// `4E+15`): a digit, up to 14 more after a point, `E+` and two or three digits. A long
    /// numeric id opened and saved in a spreadsheet comes back so, its other digits gone: two
    /// customers whose ids share their first six digits would become one.
    @inline(__always)
    static func isSpreadsheetScientific(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        guard n >= 5, n <= 21 else { return false }
        // The cheap look first: `+` two or three digits from the end, after an `E`.
        let plus: Int
        if b[n - 3] == 0x2B {
            plus = n - 3
        } else if b[n - 4] == 0x2B {
            plus = n - 4
        } else {
            return false
        }
        guard plus >= 2, b[plus - 1] == 0x45 else { return false }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        for i in (plus + 1)..<n where !isDigit(b[i]) { return false }
        guard isDigit(b[0]) else { return false }
        let mantissaEnd = plus - 1
        if mantissaEnd == 1 { return true }
        guard b[1] == 0x2E, mantissaEnd > 2, mantissaEnd - 2 <= 14 else { return false }
        for i in 2..<mantissaEnd where !isDigit(b[i]) { return false }
        return true
    }

    /// `issue` for a value that is not printable ASCII.
    private static func unusualIssue(_ b: UnsafeBufferPointer<UInt8>, label: Bool) -> Issue? {
        var spelling: String? = nil
        if let p = problem(b, label: label, asciiSpelling: &spelling) { return .character(p) }
        if let spelling { return .fullWidth(ascii: spelling) }
        guard let l = latinLookAlike(b), l.latinLetters || !label else { return nil }
        return .otherScript(ascii: l.ascii, first: l.first, at: l.position, latinLetters: l.latinLetters)
    }

    /// Why an id, key or label is refused, as `issue` finds it.
    enum Issue: Equatable {
        /// A forbidden character: `problem`'s wording.
        case character(String)
        /// An ASCII id typed (in part) in full-width forms; its ASCII spelling.
        case fullWidth(ascii: String)
        /// ASCII with Cyrillic or Greek look-alikes of Latin letters; what it looks like, the first
        /// such letter, its position in characters (from 1), and whether the ASCII holds a letter
        /// (rather than only digits and punctuation: `А123ВС`, which can be Cyrillic text).
        case otherScript(ascii: String, first: Unicode.Scalar, at: Int, latinLetters: Bool)
        /// An id in a spreadsheet's scientific notation (`isSpreadsheetScientific`).
        case scientific
    }

    /// For a value mixing ASCII letters or digits with Cyrillic or Greek letters that look like
    /// Latin ones (`С0001` with a Cyrillic С, `pаid_search` with a Cyrillic а), the ASCII text it
    /// looks like, the first such letter, its position (in characters, from 1) and whether the
    /// ASCII part holds a letter; nil for any other value. Such a value reads as the ASCII id or
    /// channel but would be another customer or channel. A value holding any other non-ASCII
    /// character (`Москва`, whose в has no Latin look-alike, or `Москва-A`) is left alone, as is
    /// one with no ASCII letter or digit (`СОР`, a word in one script): text written in Cyrillic
    /// or Greek is data, not a typing slip. Without an ASCII letter (`А123ВС`, a Russian
    /// plate-style id; `ΚΡΗΤΗ-2`) the value can be such text too: callers decide by what else the
    /// column holds (`IngestStage.SourceRun.keyIsClean`).
    static func latinLookAlike(_ b: UnsafeBufferPointer<UInt8>) -> (
        ascii: String, first: Unicode.Scalar, position: Int, latinLetters: Bool
    )? {
        var ascii = String.UnicodeScalarView()
        var first: (Unicode.Scalar, Int)? = nil
        var sawASCIIAlphanumeric = false
        var sawASCIILetter = false
        var position = 0
        for scalar in String(decoding: b, as: UTF8.self).unicodeScalars {
            position += 1
            if scalar.value < 0x80 {
                if scalar.properties.isAlphabetic {
                    sawASCIIAlphanumeric = true
                    sawASCIILetter = true
                } else if ("0"..."9").contains(scalar) {
                    sawASCIIAlphanumeric = true
                }
                ascii.append(scalar)
            } else if let latin = latinLookAlikes[scalar.value] {
                if first == nil { first = (scalar, position) }
                ascii.append(latin)
            } else {
                return nil
            }
        }
        guard let first, sawASCIIAlphanumeric else { return nil }
        return (String(ascii), first.0, first.1, sawASCIILetter)
    }

    /// Whether the bytes hold an ASCII letter.
    @inline(__always)
    static func hasASCIILetter(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        b.contains { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
    }

    /// Cyrillic and Greek letters drawn like a Latin letter in common fonts, and that letter: the
    /// single-letter Cyrillic and Greek entries of Unicode's confusables data (UTS #39) for the
    /// letters an id or channel is written with.
    static let latinLookAlikes: [UInt32: Unicode.Scalar] = [
        // Cyrillic capitals: А В Е К М Н О Р С Т Х Ѕ І Ј Ү Ԛ Ԝ Ӏ
        0x0410: "A", 0x0412: "B", 0x0415: "E", 0x041A: "K", 0x041C: "M", 0x041D: "H", 0x041E: "O",
        0x0420: "P", 0x0421: "C", 0x0422: "T", 0x0425: "X", 0x0405: "S", 0x0406: "I", 0x0408: "J",
        0x04AE: "Y", 0x051A: "Q", 0x051C: "W", 0x04C0: "I",
        // Cyrillic small letters: а е о р с у х ѕ і ј һ ԁ ԛ ԝ ӏ
        0x0430: "a", 0x0435: "e", 0x043E: "o", 0x0440: "p", 0x0441: "c", 0x0443: "y", 0x0445: "x",
        0x0455: "s", 0x0456: "i", 0x0458: "j", 0x04BB: "h", 0x0501: "d", 0x051B: "q", 0x051D: "w",
        0x04CF: "l",
        // Greek capitals: Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ
        0x0391: "A", 0x0392: "B", 0x0395: "E", 0x0396: "Z", 0x0397: "H", 0x0399: "I", 0x039A: "K",
        0x039C: "M", 0x039D: "N", 0x039F: "O", 0x03A1: "P", 0x03A4: "T", 0x03A5: "Y", 0x03A7: "X",
        // Greek small letters: ο ν
        0x03BF: "o", 0x03BD: "v",
    ]

    /// The value's length in characters (Unicode scalars) when it is above `limit`, else nil.
    /// Constant time for values of at most `limit` bytes (every value of a usual export).
    @inline(__always)
    static func overLength(_ b: UnsafeBufferPointer<UInt8>, limit: Int = maxCharacters) -> Int? {
        guard b.count > limit else { return nil }
        var n = 0
        // Every byte but a UTF-8 continuation byte starts a character (an invalid byte counts as one).
        for c in b where c & 0xC0 != 0x80 { n += 1 }
        return n > limit ? n : nil
    }

    /// What kind of forbidden character `s` is, or nil when it may appear in a key.
    static func forbidden(_ s: Unicode.Scalar) -> String? {
        switch s.value {
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return "a control character"
        case 0xFEFF: return "a byte-order mark"
        case 0xFFFE, 0xFFFF, 0xFDD0...0xFDEF: return "a noncharacter"
        case 0x2800: return "a blank braille pattern, shown as a space"
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return "a bidirectional control"
        case 0x2028, 0x2029: return "a line or paragraph separator"
        case 0x20...0xAC: return nil
        default:
            let p = s.properties
            if p.isNoncharacterCodePoint { return "a noncharacter" }
            return p.generalCategory == .format || p.isDefaultIgnorableCodePoint ? "an invisible character" : nil
        }
    }

    /// The ASCII spelling of an id or key written in ASCII and full-width forms (U+FF01–U+FF5E)
    /// with at least one of the latter (`Ｃ００1` → `C001`), or nil: such a value looks like the
    /// ASCII one but is another id. Text with any other character (`プランＡ`) is left alone: it is
    /// not an ASCII id typed in full width.
    static func fullWidthASCII(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        var ascii = ""
        var sawWide = false
        for scalar in String(decoding: b, as: UTF8.self).unicodeScalars {
            switch scalar.value {
            case 0x21...0x7E: ascii.unicodeScalars.append(scalar)
            case 0xFF01...0xFF5E:
                sawWide = true
                ascii.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            default: return nil
            }
        }
        return sawWide ? ascii : nil
    }

    static func isBidiControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Whether the forbidden `s`, between `previous` and `next`, is one a label may hold (see
    /// `problem`).
    static func allowedInLabel(_ s: Unicode.Scalar, after previous: Unicode.Scalar?, before next: Unicode.Scalar?)
        -> Bool
    {
        if isBidiControl(s) { return true }
        guard let previous, previous.value > 0x7F, forbidden(previous) == nil || isJoinerOrSelector(previous)
        else { return false }
        switch s.value {
        case 0x200C, 0x200D:
            guard let next, next.value > 0x7F else { return false }
            return forbidden(next) == nil || isJoinerOrSelector(next)
        case 0xFE00...0xFE0F: return true
        default: return false
        }
    }

    private static func isJoinerOrSelector(_ s: Unicode.Scalar) -> Bool {
        s.value == 0x200C || s.value == 0x200D || (0xFE00...0xFE0F).contains(s.value)
    }

    /// The text without its invisible and control characters (those `forbidden` names): what a
    /// reader sees. Example: `\u{FEFF}customer_id` → `customer_id`.
    static func visible(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars where forbidden(scalar) == nil { out.append(scalar) }
        return String(out)
    }

    /// `U+XXXX` and the character's Unicode name when it has one: `U+200B ZERO WIDTH SPACE`.
    static func named(_ s: Unicode.Scalar) -> String {
        guard let name = s.properties.name else { return code(s) }
        return code(s) + " " + name
    }

    /// `U+XXXX`.
    static func code(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The value with every forbidden character and non-ASCII space written as `\uXXXX` and invalid UTF-8 bytes as
    /// `\xNN`, so a reject shows what the field really held. With `conversionMarks` (text converted
    /// from Shift_JIS), a byte the conversion could not read, which it wrote as a mark
    /// (`TextDecoding.conversionMark`), is shown as the file has it: `\x81`, not the mark's bytes.
    static func escaped(_ b: UnsafeBufferPointer<UInt8>, conversionMarks: Bool = false) -> String {
        var plain = true
        for c in b where c < 0x20 || c >= 0x7F {
            plain = false
            break
        }
        if plain { return String(decoding: b, as: UTF8.self) }
        var out = ""
        var i = 0
        while i < b.count {
            let len = sequenceLength(b, at: i)
            if len == 0 {
                let marked = conversionMarks ? TextDecoding.markedByte(b, at: i) : nil
                let byte = marked ?? b[i]
                out += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
                i += marked == nil ? 1 : 2
                continue
            }
            let scalars = String(decoding: UnsafeBufferPointer(rebasing: b[i..<(i + len)]), as: UTF8.self)
                .unicodeScalars
            for s in scalars {
                if forbidden(s) != nil || UnicodeSpace.contains(s) {
                    let hex = String(s.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(s)
                }
            }
            i += len
        }
        return out
    }

    /// `escaped` for text from a file (a header's column names, a value) shown in a message: a
    /// control or invisible character in it is written as `\uXXXX`, never sent to the terminal.
    static func escaped(_ s: String) -> String {
        var s = s
        return s.withUTF8 { escaped($0) }
    }

    /// At most `width` characters of the value around character `position` (from 1), escaped,
    /// with `…` where it was cut: a message quotes a free-text value (a note of a megabyte) by
    /// the part that matters. Example: a 300-character note with a Cyrillic letter at 200 →
    /// `…` and the 64 characters around it, then `…`.
    static func excerpt(_ b: UnsafeBufferPointer<UInt8>, around position: Int, width: Int = 64) -> String {
        let scalars = Array(String(decoding: b, as: UTF8.self).unicodeScalars)
        guard scalars.count > width else { return escaped(b) }
        let from = max(0, min(position - 1 - width / 2, scalars.count - width))
        var part = String.UnicodeScalarView()
        part.append(contentsOf: scalars[from..<(from + width)])
        return (from > 0 ? "…" : "") + escaped(String(part)) + (from + width < scalars.count ? "…" : "")
    }

    /// `excerpt(_:around:width:)` of a string.
    static func excerpt(_ s: String, around position: Int, width: Int = 64) -> String {
        var s = s
        return s.withUTF8 { excerpt($0, around: position, width: width) }
    }

    /// A key or name from the data quoted in a message: its first `width` characters, escaped
    /// (controls, invisible and bidirectional characters as `\uXXXX`, invalid bytes as `\xHH`),
    /// a `"` in it as `\"` so the quotes around it stay unambiguous, and `…` where it was cut.
    /// Example: a key holding ESC[2J → `"\u001b[2J"`.
    static func quoted(_ b: UnsafeBufferPointer<UInt8>, width: Int = 64) -> String {
        "\"" + excerpt(b, around: 1, width: width).replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Column names for a message, each escaped, separated by `, `.
    static func escaped(columns: [String]) -> String { columns.map { escaped($0) }.joined(separator: ", ") }

    /// Length of the well-formed UTF-8 sequence starting at `i`, 0 when the bytes there are not one.
    static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let lead = b[i]
        let len: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: len = 2
        case 0xE0...0xEF: len = 3
        case 0xF0...0xF4: len = 4
        default: return 0
        }
        guard i + len <= b.count else { return 0 }
        return TextDecoding.isValidUTF8(UnsafeBufferPointer(rebasing: b[i..<(i + len)])) ? len : 0
    }
}
