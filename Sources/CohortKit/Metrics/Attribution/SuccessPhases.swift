import Foundation

/// Success phases per cohort and channel (docs/metrics.md#success-phases): how many customers got
/// through onboarding (activated), adoption (the key event in enough of their first three months)
/// and expansion (MRR above their initial MRR within 12 months), each over the customers who have
/// had the full time to get there.
public enum SuccessPhases {
    /// Length of one adoption month, in days.
    public static let monthDays: Int32 = 30
    /// Months observed for adoption: the first three after the first start.
    public static let adoptionMonths: Int32 = 3
    /// Month-ends observed for expansion, from the first start's month.
    public static let expansionMonths = 12

    /// The bit of the adoption month (0, 1 or 2: days `[s + 30k, s + 30(k+1))` from first start
    /// `s`) of an event on day `d`, or 0 when the event is outside the first three months or
    /// after `asOf`.
    public static func adoptionBit(eventDay d: Int32, firstStart s: Int32, asOf: Int32) -> UInt8 {
        guard s != Int32.min, d >= s, d <= asOf, d < s + adoptionMonths * monthDays else { return 0 }
        return 1 << UInt8((d - s) / monthDays)
    }

    /// Whether a customer's first three months have all passed by `asOf` (`s + 90 <= asOf + 1`).
    public static func adoptionObservable(firstStart s: Int32, asOf: Int32) -> Bool {
        s != Int32.min && Int64(s) + Int64(adoptionMonths * monthDays) <= Int64(asOf) + 1
    }

    /// Adopted: the key event in at least `months` of the three adoption months.
    public static func adopted(bits: UInt8, months: Int) -> Bool { bits.nonzeroBitCount >= months }

    /// Expanded: MRR at any of the 12 month-ends from the first start's month above the initial
    /// MRR; nil when the 12th of them is after `lastMonth` (the last complete month at as_of).
    public static func expanded(_ snaps: CustomerSnapshots, firstStart: Day, initialMRR: Int64, lastMonth: Month)
        -> Bool?
    {
        let first = firstStart.month
        guard first + (expansionMonths - 1) <= lastMonth else { return nil }
        return (0..<expansionMonths).contains { snaps.at(first + $0) > initialMRR }
    }

    /// The rows of phases.jsonl for the customers of `table`: activation over closed windows only
    /// (as activation.jsonl; nil when no activation event is configured), adoption over customers
    /// whose first three months have passed, expansion as in `expanded` (one per customer).
    public static func rows(
        table: CustomerTable, asOf: Day, activationDays: Int, adoptionMonths: Int, activated: [Bool]?,
        adoptionBits: [UInt8]?, expanded: Outcomes
    ) -> [PhaseRecord] {
        let windowEnd = Activation.windowEnd(asOf: asOf, days: activationDays)
        let activation: Outcomes? = activated.map { a in
            (0..<table.count).map { i in table.converted(i) && table.firstStart[i] <= windowEnd ? a[i] : nil }
        }
        let adoption: Outcomes? = adoptionBits.map { b in
            (0..<table.count).map { i in
                adoptionObservable(firstStart: table.firstStart[i], asOf: asOf.raw)
                    ? adopted(bits: b[i], months: adoptionMonths) : nil
            }
        }
        return rows(
            cohort: table.cohort, channel: table.channel, channelNames: table.channels.names,
            converted: (0..<table.count).map(table.converted), activation: activation, adoption: adoption,
            expansion: expanded)
    }

    /// Customer outcomes of one phase: nil when not yet observable, else whether reached.
    public typealias Outcomes = [Bool?]

    /// Aggregates customer outcomes into rows: `(all)`/`(all)` first, then per cohort the `(all)`
    /// row and the channels by name (byte order). Only converted customers count. `channel` holds
    /// each customer's index into `channelNames`.
    public static func rows(
        cohort: [Int32], channel: [Int32], channelNames: [String], converted: [Bool], activation: Outcomes?,
        adoption: Outcomes?, expansion: Outcomes
    ) -> [PhaseRecord] {
        var agg: [CohortChannelCell: PhaseRecord] = [:]
        func add(_ phase: inout PhaseRecord.Phase?, _ outcome: Bool??) {
            guard phase != nil, let outcome, let reached = outcome else { return }
            phase?.customers += 1
            if reached { phase?.reached += 1 }
        }
        func count(_ i: Int, in k: CohortChannelCell) {
            var r =
                agg[k]
                ?? PhaseRecord(
                    cohort: k.month, channel: k.channelName(channelNames),
                    activation: activation == nil ? nil : PhaseRecord.Phase(),
                    adoption: adoption == nil ? nil : PhaseRecord.Phase())
            r.customers += 1
            add(&r.activation, activation.map { $0[i] })
            add(&r.adoption, adoption.map { $0[i] })
            if let e = expansion[i] {
                r.expansion.customers += 1
                if e { r.expansion.reached += 1 }
            }
            agg[k] = r
        }
        for i in cohort.indices where converted[i] {
            CohortChannelCell.each(cohort: cohort[i], channel: channel[i]) { count(i, in: $0) }
        }
        return agg.keys.sorted { CohortChannelCell.precedes($0, $1, names: channelNames) }.compactMap { agg[$0] }
    }

    /// The 80% bar of onboarding completion the activation rate is shown against (adoption and
    /// expansion have no bar the field shares).
    public static let bar = 0.8
}
