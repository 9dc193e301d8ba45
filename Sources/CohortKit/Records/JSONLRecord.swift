/// A record written as one line of a stage's JSON Lines output: its output's name and its
/// members (normalize's hot outputs stream their members through their records' keys instead).
public protocol JSONLRecord {
    /// The output the record is a row of (its name in StageDescription).
    static var output: String { get }
    /// Appends the row's members in the output's key order.
    func write(to line: JSONLineBuilder)
}

extension IngestCustomerRecord: JSONLRecord {}
extension SubscriptionRecord: JSONLRecord {}
extension CancellationRecord: JSONLRecord {}
extension EventRecord: JSONLRecord {}
extension RejectRecord: JSONLRecord {}
extension SegmentRecord: JSONLRecord {}
extension PairwiseRecord: JSONLRecord {}
extension ReasonRecord: JSONLRecord {}
extension CoxTermRecord: JSONLRecord {}
extension AtRiskRecord: JSONLRecord {}
extension ActivationRecord: JSONLRecord {}
extension ImpactRecord: JSONLRecord {}
extension PhaseRecord: JSONLRecord {}

extension JSONLWriter {
    /// Writes `row` as the next line.
    func write(_ row: some JSONLRecord) throws {
        begin()
        row.write(to: line)
        try end()
    }
}

extension StageRun {
    /// Opens `R`'s output and writes `rows` to it, in order.
    func write<R: JSONLRecord>(_ rows: [R]) throws {
        let w = try writer(R.output)
        for r in rows { try w.write(r) }
    }
}
