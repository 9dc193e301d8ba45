/// One row of cohort's survival.jsonl: a channel's Kaplan–Meier estimate at a month mark, or its
/// median row (docs/metrics.md#survival).
public enum SurvivalRecord: JSONLRecord, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "survival"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else (those several records write, in `SharedRecordKeys`).
    enum Key: SharedRecordKeys {
        static let row: StaticString = "row"
        static let monthMark: StaticString = "month_mark"
        static let day: StaticString = "day"
        static let atRisk: StaticString = "at_risk"
        static let events: StaticString = "events"
        static let survival: StaticString = "survival"
        static let medianDays: StaticString = "median_days"
    }
    /// The values of `row`.
    enum Row {
        static let mark = "mark"
        static let median = "median"
    }

    /// `row: "mark"`: the estimate at month mark k (day `KaplanMeier.monthMarkDay(k)`).
    public struct Mark: Equatable, Sendable {
        public var channel: String
        public var monthMark: Int, day: Int, atRisk: Int, events: Int
        public var survival: Double?, ciLower: Double?, ciUpper: Double?
    }

    /// `row: "median"`: the channel's median lifetime (nil while survival stays above one half) and counts.
    public struct Median: Equatable, Sendable {
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

    /// Appends this row's members in the output's key order.
    public func write(to line: JSONLineBuilder) {
        switch self {
        case .mark(let m):
            line.field(Key.row, Row.mark)
            line.field(Key.channel, m.channel)
            line.field(Key.monthMark, m.monthMark)
            line.field(Key.day, m.day)
            line.field(Key.atRisk, m.atRisk)
            line.field(Key.events, m.events)
            line.field(Key.survival, m.survival)
            line.field(Key.ciLower, m.ciLower)
            line.field(Key.ciUpper, m.ciUpper)
        case .median(let m):
            line.field(Key.row, Row.median)
            line.field(Key.channel, m.channel)
            line.field(Key.medianDays, m.medianDays)
            line.field(Key.customers, m.customers)
            line.field(Key.churned, m.churned)
        }
    }

    /// Reads the current line of `r`: a median row when `row` is `median`, else a mark; nil when it
    /// has no channel (such a row belongs to no curve). Missing counts read as 0, estimates as nil.
    public init?(reading r: JSONLReader) {
        guard let channel = r.string(Key.channel) else { return nil }
        if r.string(Key.row) == Row.median {
            self = .median(
                Median(
                    channel: channel, medianDays: r.int(Key.medianDays).map { Int($0) },
                    customers: r.count(Key.customers), churned: r.count(Key.churned)))
        } else {
            self = .mark(
                Mark(
                    channel: channel, monthMark: r.count(Key.monthMark), day: r.count(Key.day),
                    atRisk: r.count(Key.atRisk), events: r.count(Key.events),
                    survival: r.double(Key.survival), ciLower: r.double(Key.ciLower), ciUpper: r.double(Key.ciUpper)))
        }
    }
}
