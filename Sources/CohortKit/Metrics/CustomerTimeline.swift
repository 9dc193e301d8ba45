/// A customer's paying timeline, the per-customer facts normalize writes
/// (docs/metrics.md#customer-timeline and #cohorts): the first activity stretch, the cohort,
/// the first churn and the duration survival reads, MRR at as_of and on the first paying day.
public struct CustomerTimeline: Equatable, Sendable {
    /// The first paying day; nil for a customer who never paid through as_of (not converted).
    public var firstStart: Day?
    /// The exclusive end of the first stretch when it ends on or before as_of; nil when censored.
    public var firstChurn: Day?
    /// Days of the first stretch: `end - start` when churned, `as_of - start + 1` when censored.
    public var durationDays: Int?
    public var churned: Bool
    public var cohort: Month?
    public var mrrAtAsOfMinor: Int64
    /// MRR on the first paying day (every interval covering it); 0 when not converted.
    public var initialMRRMinor: Int64

    public var converted: Bool { firstStart != nil }

    /// The timeline of `intervals` (capped at `asOf` and bridged, as `Activity.cap` and
    /// `Activity.bridge` leave them). The cohort is the month of `signup` when `bySignup` and a
    /// signup date is known, else the month of the first paying day.
    public init(intervals: [PaidInterval], asOf: Day, signup: Day?, bySignup: Bool) throws {
        let stretch = Activity.firstStretch(intervals)
        let churned = stretch.map { $0.end != PaidInterval.open } ?? false
        self.churned = churned
        firstStart = stretch.map { Day(raw: $0.start) }
        firstChurn = stretch.flatMap { churned ? Day(raw: $0.end) : nil }
        durationDays = stretch.map { churned ? Int($0.end) - Int($0.start) : Int(asOf.raw) - Int($0.start) + 1 }
        cohort = stretch.map { s in bySignup ? (signup ?? Day(raw: s.start)).month : Day(raw: s.start).month }
        mrrAtAsOfMinor = try Activity.mrr(intervals, on: asOf.raw)
        initialMRRMinor = try stretch.map { try Activity.mrr(intervals, on: $0.start) } ?? 0
    }
}
