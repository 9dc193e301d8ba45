/// Checks that an id or key field (customer_id, subscription_id, user_id, product, plan,
/// currency, acquisition_channel, event) holds only visible text, and escapes values for rejects.
///
/// An invisible character makes two ids that look the same differ (a phantom customer), so a
/// field holding one is rejected rather than cleaned: NUL and other C0 controls (the tab too;
/// leading and trailing spaces and tabs are trimmed before the check), DEL and C1 controls, the
/// byte-order mark U+FEFF, the noncharacters U+FFFE/U+FFFF, and the bidirectional controls
/// U+061C, U+200E/U+200F, U+202A–U+202E and U+2066–U+2069.
enum KeyText {
    /// Why the (trimmed) bytes are not a clean key, or nil when they are.
    /// Example: `C1\u{0}` → "contains U+0000 (a control character) at character 3".
    /// With `label`, bidirectional controls are allowed: they are ordinary in labels written in
    /// Arabic or Hebrew, and the reports show them escaped and isolated.
    static func problem(_ b: UnsafeBufferPointer<UInt8>, label: Bool = false) -> String? {
        // Printable ASCII, the usual case, needs no decoding.
        var plain = true
        for c in b where c < 0x20 || c >= 0x7F {
            plain = false
            break
        }
        if plain { return nil }
        var position = 0
        for scalar in String(decoding: b, as: UTF8.self).unicodeScalars {
            position += 1
            if let what = forbidden(scalar), !(label && isBidiControl(scalar)) {
                return "contains \(code(scalar)) (\(what)) at character \(position)"
            }
        }
        return nil
    }

    /// What kind of forbidden character `s` is, or nil when it may appear in a key.
    static func forbidden(_ s: Unicode.Scalar) -> String? {
        switch s.value {
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return "a control character"
        case 0xFEFF: return "a byte-order mark"
        case 0xFFFE, 0xFFFF: return "a noncharacter"
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return "a bidirectional control"
        default: return nil
        }
    }

    static func isBidiControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// `U+XXXX`.
    static func code(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The value with every forbidden character written as `\uXXXX` and invalid UTF-8 bytes as
    /// `\xNN`, so a reject shows what the field really held.
    static func escaped(_ b: UnsafeBufferPointer<UInt8>) -> String {
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
                out += "\\x" + (b[i] < 16 ? "0" : "") + String(b[i], radix: 16, uppercase: true)
                i += 1
                continue
            }
            let scalars = String(decoding: UnsafeBufferPointer(rebasing: b[i..<(i + len)]), as: UTF8.self)
                .unicodeScalars
            for s in scalars {
                if forbidden(s) != nil {
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
