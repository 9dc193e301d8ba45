/// A chart that can be drawn narrow for phones: the report includes a wide and a narrow
/// rendering and the stylesheet shows one, so text keeps a legible size on either screen
/// instead of shrinking with a scaled-down drawing.
protocol ResponsiveChart {
    /// Id, title and description; the id is unique within the document, and the narrow rendering gets its own.
    var text: ChartText { get set }
    /// nil: the desktop layout; a width: everything fits in it.
    var maxWidth: Double? { get set }
    func render() -> String
}

extension ResponsiveChart {
    /// Width of the narrow rendering: a 390 px phone leaves about 358 px of content, so a
    /// drawing of this width keeps 12 px text above 11 px when scaled to fit.
    static var phoneWidth: Double { 380 }

    /// The desktop and the phone renderings.
    func renderings() -> (wide: String, narrow: String) {
        var narrow = self
        narrow.text.id += "n"
        narrow.maxWidth = Self.phoneWidth
        return (render(), narrow.render())
    }
}

extension Waterfall: ResponsiveChart {}
extension RetentionCurvesChart: ResponsiveChart {}
extension SurvivalChart: ResponsiveChart {}
extension IntervalBars: ResponsiveChart {}
extension ForestPlot: ResponsiveChart {}
extension BarChart: ResponsiveChart {}
