/// One row of cohort's survival.jsonl: a channel's Kaplan–Meier estimate at a month mark, or its
/// median row (docs/metrics.md#survival).
public enum SurvivalRecord: CohortRowRecord, Equatable, Sendable {
    /// The output this record is a row of, and its schema version (StageDescription uses both).
    public static let output = "survival"
    public static let schemaVersion = 1
    /// The JSON keys, spelled here and nowhere else.
    enum Key {
        static let row: StaticString = "row"
        static let channel: StaticString = "channel"
        static let monthMark: StaticString = "month_mark"
        static let day: StaticString = "day"
        static let atRisk: StaticString = "at_risk"
        static let events: StaticString = "events"
        static let survival: StaticString = "survival"
        static let ciLower: StaticString = "ci_lower"
        static let ciUpper: StaticString = "ci_upper"
        static let medianDays: StaticString = "median_days"
        static let customers: StaticString = "customers"
        static let churned: StaticString = "churned"
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
        public init(
            channel: String, monthMark: Int, day: Int, atRisk: Int, events: Int, survival: Double?,
            ciLower: Double?, ciUpper: Double?
        ) {
            self.channel = channel
            self.monthMark = monthMark
            self.day = day
            self.atRisk = atRisk
            self.events = events
            self.survival = survival
            self.ciLower = ciLower
            self.ciUpper = ciUpper
        }
    }

    /// `row: "median"`: the channel's median lifetime (nil while survival stays above one half) and counts.
    public struct Median: Equatable, Sendable {
        public var channel: String
        public var medianDays: Int?
        public var customers: Int, churned: Int
        public init(channel: String, medianDays: Int?, customers: Int, churned: Int) {
            self.channel = channel
            self.medianDays = medianDays
            self.customers = customers
            self.churned = churned
        }
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
            line.key(Key.row)
            line.string(Row.mark)
            line.key(Key.channel)
            line.string(m.channel)
            line.key(Key.monthMark)
            line.int(m.monthMark)
            line.key(Key.day)
            line.int(m.day)
            line.key(Key.atRisk)
            line.int(m.atRisk)
            line.key(Key.events)
            line.int(m.events)
            line.key(Key.survival)
            line.double(m.survival)
            line.key(Key.ciLower)
            line.double(m.ciLower)
            line.key(Key.ciUpper)
            line.double(m.ciUpper)
        case .median(let m):
            line.key(Key.row)
            line.string(Row.median)
            line.key(Key.channel)
            line.string(m.channel)
            line.key(Key.medianDays)
            line.int(m.medianDays)
            line.key(Key.customers)
            line.int(m.customers)
            line.key(Key.churned)
            line.int(m.churned)
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
                    customers: Int(r.int(Key.customers) ?? 0), churned: Int(r.int(Key.churned) ?? 0)))
        } else {
            self = .mark(
                Mark(
                    channel: channel, monthMark: Int(r.int(Key.monthMark) ?? 0), day: Int(r.int(Key.day) ?? 0),
                    atRisk: Int(r.int(Key.atRisk) ?? 0), events: Int(r.int(Key.events) ?? 0),
                    survival: r.double(Key.survival), ciLower: r.double(Key.ciLower), ciUpper: r.double(Key.ciUpper)))
        }
    }
}
