/// A chart's identity and accessible text: its id in the document, and the title and
/// description a screen reader announces (`SVGBuilder` writes them as `<title>` and `<desc>`).
struct ChartText {
    /// Unique within the document; prefixes the ids of title, desc and defs.
    var id: String
    var title: String
    var desc: String
}
