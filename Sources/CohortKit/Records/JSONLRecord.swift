/// A record written as one line of a stage's JSON Lines output: its output's name and its
/// members (normalize's hot outputs stream their members through their records' keys instead).
public protocol JSONLRecord {
    /// The output the record is a row of (its name in StageDescription).
    static var output: String { get }
    /// Appends the row's members in the output's key order.
    func write(to line: JSONLineBuilder) throws
}

extension JSONLRecord where Self: Encodable {
    /// Appends the row's members through the record codec: in declaration order, each under its
    /// name in snake_case (`RecordEncoder`).
    public func write(to line: JSONLineBuilder) throws { try line.members(of: self) }
}

/// A record whose rows the record codec reads: `init(reading:)` decodes the current line.
public protocol JSONLReadableRecord: Decodable {}

extension JSONLReadableRecord {
    /// Reads the current line of `r` through the record codec (`RecordDecoder`): missing text as
    /// "", missing counts and amounts as 0, missing or null ratios, months and dates as nil.
    public init(reading r: JSONLReader) throws { self = try r.decode(Self.self) }
}

/// A stage output that is one JSON object (kpis.json, logrank.json, cox_model.json), written and
/// read by the record codec.
public protocol JSONObjectRecord: Codable {}

extension JSONObjectRecord {
    /// The object as written: members in declaration order, numbers as `JSONLineBuilder` writes
    /// them (`1.0`, `0.25`), null for nil (`RecordEncoder`).
    public var json: JSONValue {
        get throws {
            let line = JSONLineBuilder()
            line.beginObject()
            try line.members(of: self)
            line.endObject()
            return try JSONParser.parse(line.bytes)
        }
    }

    /// Reads a parsed object (`RecordDecoder`: missing text "", counts 0, ratios nil).
    public init(json: JSONValue) throws { self = try json.decode() }
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
        try row.write(to: line)
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
