/// A churn-attribution record written as one line of a JSON Lines output: its output's name and
/// its members.
public protocol AttributionRow {
    /// The output the record is a row of (its name in StageDescription).
    static var output: String { get }
    /// Appends the row's members in the output's key order.
    func write(to line: JSONLineBuilder)
}

extension SegmentRecord: AttributionRow {}
extension PairwiseRecord: AttributionRow {}
extension ReasonRecord: AttributionRow {}
extension CoxTermRecord: AttributionRow {}
extension AtRiskRecord: AttributionRow {}
extension ActivationRecord: AttributionRow {}
extension ImpactRecord: AttributionRow {}
extension PhaseRecord: AttributionRow {}

extension JSONLWriter {
    /// Writes `row` as the next line.
    func write(_ row: some AttributionRow) throws {
        begin()
        row.write(to: line)
        try end()
    }
}

extension StageRun {
    /// Opens `R`'s output and writes `rows` to it, in order.
    func write<R: AttributionRow>(_ rows: [R]) throws {
        let w = try writer(R.output)
        for r in rows { try w.write(r) }
    }
}
