import Foundation

/// A small writer of accessible inline SVG: a `role="img"` root with `<title>` and `<desc>`,
/// elements with escaped attributes and text, and coordinates written deterministically.
struct SVGBuilder {
    let width: Double
    let height: Double
    let text: ChartText
    /// Part of a chart drawn in two SVGs (a heatmap's sticky row labels): hidden from assistive
    /// technology, without a title or description of its own (the other part has them).
    let decorative: Bool
    private var defs = ""
    private var body = ""

    init(width: Double, height: Double, text: ChartText, decorative: Bool = false) {
        self.width = width
        self.height = height
        self.text = text
        self.decorative = decorative
    }

    /// A coordinate with at most one decimal, no grouping, no locale: `12.25` -> `12.3`.
    static func num(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let tenths = (x * 10).rounded(.toNearestOrAwayFromZero)
        let n = Int64(max(-9.0e15, min(9.0e15, tenths)))
        let whole = n.magnitude / 10
        let frac = n.magnitude % 10
        return (n < 0 ? "-" : "") + String(whole) + (frac == 0 ? "" : "." + String(frac))
    }

    /// A value in 0...1 with two decimals: `0.25` -> `0.25`.
    static func decimal2(_ x: Double) -> String {
        let n = Int(max(0, min(1, x)) * 100 + 0.5)
        return n == 100 ? "1" : "0." + (n < 10 ? "0" : "") + String(n)
    }

    static func attributes(_ attrs: [(String, String)]) -> String {
        attrs.map { " \($0.0)=\"\(Escaping.html($0.1))\"" }.joined()
    }

    mutating func def(_ markup: String) { defs += markup }
    mutating func raw(_ markup: String) { body += markup }

    mutating func element(_ name: String, _ attrs: [(String, String)], text: String? = nil) {
        if let text {
            body += "<\(name)\(Self.attributes(attrs))>\(Escaping.html(text))</\(name)>"
        } else {
            body += "<\(name)\(Self.attributes(attrs))/>"
        }
        body += "\n"
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, extra: [(String, String)] = [])
    {
        element(
            "rect",
            [
                ("x", Self.num(x)), ("y", Self.num(y)), ("width", Self.num(max(0, w))), ("height", Self.num(max(0, h))),
                ("fill", fill),
            ] + extra)
    }

    mutating func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil
    ) {
        var attrs = [
            ("x1", Self.num(x1)), ("y1", Self.num(y1)), ("x2", Self.num(x2)), ("y2", Self.num(y2)), ("stroke", stroke),
            ("stroke-width", Self.num(width)),
        ]
        if let dash, !dash.isEmpty { attrs.append(("stroke-dasharray", dash)) }
        element("line", attrs)
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(
        _ x: Double, _ y: Double, _ string: String, anchor: Anchor = .start, size: Double = 12,
        fill: String = Palette.ink, bold: Bool = false
    ) {
        var attrs = [("x", Self.num(x)), ("y", Self.num(y)), ("font-size", Self.num(size)), ("fill", fill)]
        if anchor != .start { attrs.append(("text-anchor", anchor.rawValue)) }
        if bold { attrs.append(("font-weight", "bold")) }
        element("text", attrs, text: string)
    }

    /// Text from input data (a channel, a segment, a reason) kept within `maxWidth`: shortened
    /// with an ellipsis when longer, so one long label cannot widen its chart, with the whole of
    /// `full` in a `<title>` that browsers show on hover and screen readers read. `string` is the
    /// text to draw, already shortened by the caller when it chose how (`truncated(keepingCounts:)`).
    mutating func label(
        _ x: Double, _ y: Double, _ string: String, maxWidth: Double, full: String? = nil, anchor: Anchor = .start,
        size: Double = 12, fill: String = Palette.ink, bold: Bool = false
    ) {
        let shown = Self.truncated(string, maxWidth: maxWidth, size: size)
        let full = full ?? string
        guard shown != full else {
            return text(x, y, shown, anchor: anchor, size: size, fill: fill, bold: bold)
        }
        body += "<g><title>\(Escaping.html(full))</title>"
        text(x, y, shown, anchor: anchor, size: size, fill: fill, bold: bold)
        body += "</g>\n"
    }

    mutating func path(
        _ d: String, fill: String = "none", stroke: String = "none", width: Double = 1, dash: String? = nil,
        opacity: Double? = nil
    ) {
        var attrs = [("d", d), ("fill", fill), ("stroke", stroke)]
        if stroke != "none" { attrs.append(("stroke-width", Self.num(width))) }
        if let dash, !dash.isEmpty { attrs.append(("stroke-dasharray", dash)) }
        if let opacity { attrs.append(("fill-opacity", Self.decimal2(opacity))) }
        element("path", attrs)
    }

    func render() -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\"\(decorative ? " aria-hidden=\"true\"" : " role=\"img\"")"
        s += " viewBox=\"0 0 \(Self.num(width)) \(Self.num(height))\""
        s += " width=\"\(Self.num(width))\" height=\"\(Self.num(height))\""
        if !decorative { s += " aria-labelledby=\"\(text.id)-title \(text.id)-desc\"" }
        s +=
            " font-family=\"system-ui, -apple-system, 'Segoe UI', 'Hiragino Sans', 'Noto Sans CJK JP', sans-serif\">\n"
        if !decorative {
            s += "<title id=\"\(text.id)-title\">\(Escaping.html(text.title))</title>\n"
            s += "<desc id=\"\(text.id)-desc\">\(Escaping.html(text.desc))</desc>\n"
        }
        if !defs.isEmpty { s += "<defs>\(defs)</defs>\n" }
        s += body
        s += "</svg>"
        return s
    }

    /// Rough rendered width of a label, for sizing margins: CJK and other wide characters count double.
    static func textWidth(_ s: String, size: Double) -> Double {
        var units = 0.0
        for scalar in s.unicodeScalars {
            units += scalar.value >= 0x1100 ? 1.0 : 0.58
        }
        return units * size
    }

    /// Shortens a label to about `maxWidth`, ending with an ellipsis when cut.
    static func truncated(_ s: String, maxWidth: Double, size: Double) -> String {
        guard textWidth(s, size: size) > maxWidth else { return s }
        var out = ""
        // Widths add up character by character, so the cut is found in one pass.
        var width = textWidth("…", size: size)
        for ch in s {
            let w = textWidth(String(ch), size: size)
            if width + w > maxWidth { break }
            width += w
            out.append(ch)
        }
        return out + "…"
    }

    /// Like `truncated`, but a legend entry's closing counts, " (n = …)", stay whole and the cut
    /// falls in the name before them: "paid_soc… (n = 40)" still says which line has 40 customers.
    /// Counts wider than half of `maxWidth` are cut like the rest.
    static func truncated(keepingCounts s: String, maxWidth: Double, size: Double) -> String {
        guard textWidth(s, size: size) > maxWidth, s.hasSuffix(")"),
            let open = s.range(of: " (", options: .backwards), open.lowerBound > s.startIndex
        else { return truncated(s, maxWidth: maxWidth, size: size) }
        let counts = String(s[open.lowerBound...])
        let countsW = textWidth(counts, size: size)
        guard countsW <= maxWidth / 2 else { return truncated(s, maxWidth: maxWidth, size: size) }
        return truncated(String(s[..<open.lowerBound]), maxWidth: maxWidth - countsW, size: size) + counts
    }
}

/// Colour choices: Okabe-Ito for categories (colour-blind safe), a cividis-like ramp for heatmaps,
/// and dash patterns so that lines stay apart in greyscale.
enum Palette {
    static let ink = "#1a1a1a"
    static let muted = "#595959"
    static let grid = "#d9d9d9"
    /// Okabe-Ito, without yellow (too light on white), black first; its orange darkened to
    /// #B07700 so that lines and bars in it stand 3:1 against the white page (#E69F00 is 2.25:1).
    static let categorical = ["#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#B07700", "#56B4E9"]
    /// Every pattern has a dash of 3 units or more: dots alone ("1 3") mark projected lines.
    static let dashes = ["", "6 3", "12 3 3 3", "8 3 2 3", "14 5", "4 2 1 2", "9 2 2 2 2 2"]
    /// The dotted line of a projection, unlike any of `dashes`.
    static let projectedDash = "1 3"

    static func color(_ i: Int) -> String {
        categorical[((i % categorical.count) + categorical.count) % categorical.count]
    }
    /// The dash of series `i`: with `color(i)`, a style of its own for each of the first 49
    /// series (the dash moves on by one each time the colours come round, so the eighth line is
    /// not the first's solid black again).
    static func dash(_ i: Int) -> String {
        let n = dashes.count
        let k = i + (i >= 0 ? i / categorical.count : 0)
        return dashes[((k % n) + n) % n]
    }

    /// Cividis stops (dark blue to yellow), perceptually uniform and readable by colour-blind viewers.
    static let ramp: [(Double, Double, Double)] = [
        (0x00, 0x22, 0x4e), (0x23, 0x3e, 0x6c), (0x57, 0x5c, 0x6d), (0x7c, 0x7b, 0x78),
        (0xa6, 0x9d, 0x75), (0xd3, 0xc1, 0x64), (0xfe, 0xe8, 0x38),
    ]

    /// Colour of `t` in 0...1 on the ramp.
    static func sequential(_ t: Double) -> String {
        let (r, g, b) = sequentialBytes(t)
        return hex(Double(r), Double(g), Double(b))
    }

    /// The red, green and blue bytes of `t` on the ramp, as `sequential` writes them.
    static func sequentialBytes(_ t: Double) -> (Int, Int, Int) {
        let x = max(0, min(1, t.isFinite ? t : 0)) * Double(ramp.count - 1)
        let i = min(Int(x), ramp.count - 2)
        let u = x - Double(i)
        let a = ramp[i]
        let b = ramp[i + 1]
        func byte(_ v: Double) -> Int { Int(max(0, min(255, v.rounded()))) }
        return (byte(a.0 + (b.0 - a.0) * u), byte(a.1 + (b.1 - a.1) * u), byte(a.2 + (b.2 - a.2) * u))
    }

    /// Text colour on the ramp at `t`: white or black, whichever contrasts more with the cell.
    /// One of them always reaches 4.58:1 (WCAG AA asks 4.5:1 for text): the two tie at a
    /// relative luminance of 0.179, the ramp's mid-grey, where a dark grey would give only 4.1:1.
    static func textOnSequential(_ t: Double) -> String {
        let l = relativeLuminance(sequentialBytes(t))
        return contrast(1, l) >= contrast(l, 0) ? "#ffffff" : "#000000"
    }

    /// WCAG 2 relative luminance of an sRGB colour given as bytes.
    static func relativeLuminance(_ rgb: (Int, Int, Int)) -> Double {
        func linear(_ c: Int) -> Double {
            let v = Double(c) / 255
            return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(rgb.0) + 0.7152 * linear(rgb.1) + 0.0722 * linear(rgb.2)
    }

    /// WCAG 2 contrast ratio of a lighter and a darker relative luminance.
    static func contrast(_ lighter: Double, _ darker: Double) -> Double { (lighter + 0.05) / (darker + 0.05) }

    static func hex(_ r: Double, _ g: Double, _ b: Double) -> String {
        let digits = Array("0123456789abcdef")
        func byte(_ v: Double) -> String {
            let n = Int(max(0, min(255, v.rounded())))
            return String([digits[n / 16], digits[n % 16]])
        }
        return "#" + byte(r) + byte(g) + byte(b)
    }
}
