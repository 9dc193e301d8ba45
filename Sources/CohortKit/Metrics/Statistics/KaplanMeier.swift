import Foundation

/// The Kaplan-Meier estimate of a survival curve from right-censored durations in whole days.
///
/// `S(t) = prod_{t_i <= t} (1 - d_i / n_i)`, where `t_i` are the days on which someone churned,
/// `d_i` how many churned that day and `n_i` how many had a duration `>= t_i` (so a customer
/// censored on `t_i` is still at risk on `t_i`, as in lifelines). Example: durations
/// `[1, 2, 2, 3]`, all churned: `S(1) = 3/4`, `S(2) = 3/4 · 1/3 = 1/4`, `S(3) = 0`.
///
/// Confidence intervals are lifelines' default "exponential Greenwood" interval on
/// `log(-log S)`: `V(t) = sum_{t_i <= t} d_i / (n_i (n_i - d_i)) / (log S(t))^2`, bounds
/// `exp(-exp(log(-log S) ± z · sqrt(V)))`.
///
/// - Complexity: building is O(n + R) when the span R of the durations is at most a few times n
///   (a counting pass over days, the usual case), else O(n log n); queries are O(log T) in the
///   number T of distinct durations.
public struct KaplanMeier: Sendable {
    /// One day on which at least one customer churned.
    public struct EventTime: Sendable, Equatable {
        /// The day `t_i` (duration in days).
        public let day: Int
        /// `n_i`: customers whose duration is `>= day`.
        public let atRisk: Int
        /// `d_i`: customers who churned with exactly this duration.
        public let events: Int
        /// `S(t_i)`, the estimate just after this day's churn.
        public let survival: Double
        /// Greenwood's sum `sum_{t_j <= t_i} d_j / (n_j (n_j - d_j))`, with a term of 0 when
        /// `d_j = n_j` (the curve is then 0, and its interval `(0, 0)`).
        public let greenwoodSum: Double
        /// Churned customers with duration `<= day`.
        public let cumulativeEvents: Int
    }

    /// The distinct event days in increasing order, with their counts and the estimate.
    public let eventTimes: [EventTime]
    /// Number of customers (rows) the estimate was built from.
    public let customers: Int
    /// Number of them who churned (not censored).
    public let churned: Int

    /// Distinct durations (events and censorings) in increasing order.
    private let observedDays: [Int]
    /// `removedThrough[i]`: customers with duration `<= observedDays[i]`.
    private let removedThrough: [Int]

    /// Tolerance of the median's comparison `S(t) <= 1/2`.
    ///
    /// S is a product of ratios of integers, so a curve that reaches exactly 1/2
    /// (`3/4 · 2/3`) lands within a few ulps of it in floating point, on either side. Values within
    /// 1e-12 of 1/2 are treated as equal to it; a true value that close to, but above, 1/2 would
    /// need denominators far beyond any realistic customer count.
    public static let medianTolerance = 1e-12

    /// Builds the estimate from whole-day durations and churn flags (`true` = churned,
    /// `false` = censored). The two arrays must have the same length.
    public init(durations: [Int32], events: [Bool]) {
        precondition(durations.count == events.count, "durations and events differ in length")
        self.init(table: DurationTable(durations: durations, events: events))
    }

    /// Builds the estimate from counts per distinct duration (for example one group's table from
    /// `LogRank.groupTables`), without going back to the rows.
    ///
    /// - Complexity: O(T) in the number T of distinct durations.
    init(table: DurationTable) {
        var eventTimes: [EventTime] = []
        let customers = table.removed.reduce(0, +)
        var atRisk = customers
        var product = 1.0
        var greenwood = 0.0
        var cumulative = 0
        var removedThrough: [Int] = []
        removedThrough.reserveCapacity(table.days.count)
        var removedSoFar = 0
        for i in table.days.indices {
            let d = table.deaths[i]
            if d > 0 {
                product *= Double(atRisk - d) / Double(atRisk)
                if d < atRisk { greenwood += Double(d) / (Double(atRisk) * Double(atRisk - d)) }
                cumulative += d
                eventTimes.append(
                    EventTime(
                        day: table.days[i], atRisk: atRisk, events: d,
                        survival: product, greenwoodSum: greenwood,
                        cumulativeEvents: cumulative))
            }
            atRisk -= table.removed[i]
            removedSoFar += table.removed[i]
            removedThrough.append(removedSoFar)
        }
        self.eventTimes = eventTimes
        self.customers = customers
        self.churned = cumulative
        self.observedDays = table.days
        self.removedThrough = removedThrough
    }

    /// Index of the last event time with `day <= t`, or nil when there is none.
    private func lastEventIndex(atOrBefore t: Int) -> Int? {
        var lo = 0
        var hi = eventTimes.count  // first index with day > t
        while lo < hi {
            let mid = (lo + hi) / 2
            if eventTimes[mid].day <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lo - 1
    }

    /// `S(t)`: 1 before the first event, the last value after the last observation.
    public func survival(atDay t: Int) -> Double {
        lastEventIndex(atOrBefore: t).map { eventTimes[$0].survival } ?? 1
    }

    /// The exponential-Greenwood (log(-log)) confidence interval for `S(t)`, as lifelines computes it.
    ///
    /// `z = Φ⁻¹((1 + confidence) / 2)`; lower `= exp(-exp(log(-log S) + z·sqrt(V)))`, upper with `-`.
    /// Where `S(t) = 1` (before the first event) the interval is `(1, 1)`, where `S(t) = 0` it is
    /// `(0, 0)`, both as lifelines reports them. Nil when `confidence` is not strictly between 0 and 1.
    public func confidenceInterval(atDay t: Int, confidence: Double = 0.95) -> (lower: Double, upper: Double)? {
        guard confidence > 0, confidence < 1 else { return nil }
        guard let i = lastEventIndex(atOrBefore: t) else { return (1, 1) }
        let s = eventTimes[i].survival
        if s <= 0 { return (0, 0) }
        let logS = log(s)
        if logS == 0 { return (1, 1) }
        let z = Normal.quantile((1 + confidence) / 2)
        let sd = eventTimes[i].greenwoodSum.squareRoot() / abs(logS)
        let center = log(-logS)
        return (exp(-exp(center + z * sd)), exp(-exp(center - z * sd)))
    }

    /// Customers whose duration is `>= t` (still observed on day t).
    public func atRisk(atDay t: Int) -> Int {
        var lo = 0
        var hi = observedDays.count  // first index with day >= t
        while lo < hi {
            let mid = (lo + hi) / 2
            if observedDays[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return customers - (lo == 0 ? 0 : removedThrough[lo - 1])
    }

    /// Churned customers whose duration is `<= t`.
    public func cumulativeEvents(throughDay t: Int) -> Int {
        lastEventIndex(atOrBefore: t).map { eventTimes[$0].cumulativeEvents } ?? 0
    }

    /// The median survival in days: the first event day with `S(t) <= 1/2`, or nil if S stays above.
    ///
    /// Compared with a tolerance of `medianTolerance` so that exact halves such as `3/4 · 2/3` count.
    public var medianDays: Int? {
        eventTimes.first { $0.survival <= 0.5 + Self.medianTolerance }?.day
    }

    /// The restricted mean survival time: the area under the step function S on `[0, upToDay]`.
    ///
    /// `sum` over the steps of `S · width`; 0 when `upToDay <= 0`. Example: durations `[1, 2, 2, 3]`
    /// all churned, up to day 4: `1·1 + 3/4·1 + 1/4·1 + 0·1 = 2`.
    public func restrictedMeanDays(upToDay u: Int) -> Double {
        guard u > 0 else { return 0 }
        var area = 0.0
        var previous = 0
        var s = survival(atDay: 0)
        for e in eventTimes where e.day > 0 {
            if e.day > u { break }
            area += s * Double(e.day - previous)
            previous = e.day
            s = e.survival
        }
        return area + s * Double(u - previous)
    }

    /// The month mark `t_k = round(30.4375 · k)` in days, halves rounded up (`t_8 = 244`, `t_24 = 731`).
    public static func monthMarkDay(_ k: Int) -> Int {
        // 30.4375 = 487/16, so the mark is floor((487k + 8) / 16) in exact integer arithmetic.
        let numerator = 487 * k + 8
        return numerator >= 0 ? numerator / 16 : -((-numerator + 15) / 16)
    }
}

/// Counts per distinct duration: how many rows end there (`removed`) and how many of them churned.
struct DurationTable {
    /// Distinct durations in increasing order.
    var days: [Int] = []
    var removed: [Int] = []
    var deaths: [Int] = []

    /// An empty table (no rows).
    init() {}

    init(durations: [Int32], events: [Bool]) {
        guard let lo = durations.min(), let hi = durations.max() else { return }
        let span = Int(hi) - Int(lo) + 1
        if span <= max(1 << 16, 4 * durations.count) {
            // Counting pass over days: O(n + span).
            var removedByDay = [Int](repeating: 0, count: span)
            var deathsByDay = [Int](repeating: 0, count: span)
            for (i, t) in durations.enumerated() {
                let slot = Int(t) - Int(lo)
                removedByDay[slot] += 1
                if events[i] { deathsByDay[slot] += 1 }
            }
            for slot in 0..<span where removedByDay[slot] > 0 {
                days.append(slot + Int(lo))
                removed.append(removedByDay[slot])
                deaths.append(deathsByDay[slot])
            }
        } else {
            for i in DurationTable.order(durations) {
                let t = Int(durations[i])
                if days.last != t {
                    days.append(t)
                    removed.append(0)
                    deaths.append(0)
                }
                removed[removed.count - 1] += 1
                if events[i] { deaths[deaths.count - 1] += 1 }
            }
        }
    }

    /// Row indices sorted by duration (stable): a counting sort when the span of days is small
    /// compared with n, else a comparison sort.
    static func order(_ durations: [Int32]) -> [Int] {
        guard let lo = durations.min(), let hi = durations.max() else { return [] }
        let span = Int(hi) - Int(lo) + 1
        if span <= max(1 << 16, 4 * durations.count) {
            var start = [Int](repeating: 0, count: span + 1)
            for t in durations { start[Int(t) - Int(lo) + 1] += 1 }
            for slot in 0..<span { start[slot + 1] += start[slot] }
            var result = [Int](repeating: 0, count: durations.count)
            for (i, t) in durations.enumerated() {
                let slot = Int(t) - Int(lo)
                result[start[slot]] = i
                start[slot] += 1
            }
            return result
        }
        return durations.indices.sorted { (durations[$0], $0) < (durations[$1], $1) }
    }
}
