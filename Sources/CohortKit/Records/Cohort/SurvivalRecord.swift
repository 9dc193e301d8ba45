/// One row of cohort's survival.jsonl: a channel's Kaplan–Meier estimate at a month mark, or its
/// median row (docs/metrics.md#survival).
public enum SurvivalRecord: JSONLRecord, Codable, Equatable, RecordCodedByHand, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "survival"
    public static let schemaVersion = 1

    /// `row: "mark"`: the estimate at month mark k (day `KaplanMeier.monthMarkDay(k)`).
    public struct Mark: Codable, Equatable, Sendable {
        public var channel: String
        public var monthMark: Int, day: Int, atRisk: Int, events: Int
        public var survival: Double?, ciLower: Double?, ciUpper: Double?
    }

    /// `row: "median"`: the channel's median lifetime (nil while survival stays above one half) and counts.
    public struct Median: Codable, Equatable, Sendable {
        public var channel: String
        public var medianDays: Int?
        public var customers: Int, churned: Int
    }

    case mark(Mark)
    case median(Median)

    public var channel: String {
        switch self {
        case .mark(let m): return m.channel
        case .median(let m): return m.channel
        }
    }

    /// The member that opens each row and says which kind it is, `mark` or `median`.
    private enum CodingKeys: CodingKey { case row }

    /// Writes `row` and then the mark's or the median's members.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .mark(let m):
            try c.encode("mark", forKey: .row)
            try encoder.encodeMembers(of: m)
        case .median(let m):
            try c.encode("median", forKey: .row)
            try encoder.encodeMembers(of: m)
        }
    }

    /// Reads a median row when `row` is `median`, else a mark.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if try c.decodeIfPresent(String.self, forKey: .row) == "median" {
            self = .median(try decoder.decodeMembers(Median.self))
        } else {
            self = .mark(try decoder.decodeMembers(Mark.self))
        }
    }

    /// Reads the current line of `r`: nil when it has no channel (such a row belongs to no
    /// curve). Missing counts read as 0, estimates as nil.
    public init?(reading r: JSONLReader) throws {
        guard r.string("channel") != nil else { return nil }
        self = try r.decode()
    }
}
