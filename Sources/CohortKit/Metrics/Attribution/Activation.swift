/// Activation of churn-attribution (docs/metrics.md#activation): whether each converted customer
/// used the key event within `attribution.activation.days` of the first subscription start, and
/// the rates per cohort and channel over the customers whose window has closed.
public enum Activation {
    /// What one part of events.jsonl says about each customer of the table.
    public struct EventScan: Sendable {
        /// The earliest day of the key event inside the customer's activation window (Int32.max: none).
        public var firstUse: [Int32]
        /// Adoption months with the key event, one bit per month (SuccessPhases.adoptionBit).
        public var adoptionBits: [UInt8]
        /// Whether any row of the key event matched a known customer.
        public var any: Bool

        public init(customers: Int) {
            firstUse = Array(repeating: Int32.max, count: customers)
            adoptionBits = Array(repeating: 0, count: customers)
            any = false
        }

        /// Takes a key event of customer `i` (first start `start`, Int32.min when not converted) on
        /// `day`: it activates when `start <= day < start + days` and `day <= asOf` (nothing after
        /// as_of counts).
        public mutating func add(customer i: Int, day: Int32, start: Int32, days: Int32, asOf: Int32) {
            any = true
            if start != Int32.min, day >= start, Int64(day) < Int64(start) + Int64(days), day <= asOf {
                firstUse[i] = min(firstUse[i], day)
            }
            adoptionBits[i] |= SuccessPhases.adoptionBit(eventDay: day, firstStart: start, asOf: asOf)
        }

        /// The scans of several parts merged: earliest use by min, adoption months by union.
        public static func merged(_ parts: [EventScan]) -> EventScan? {
            guard var out = parts.first else { return nil }
            for p in parts.dropFirst() {
                for i in out.firstUse.indices {
                    out.firstUse[i] = min(out.firstUse[i], p.firstUse[i])
                    out.adoptionBits[i] |= p.adoptionBits[i]
                }
                out.any = out.any || p.any
            }
            return out
        }

        /// Whether each customer activated.
        public var activated: [Bool] { firstUse.map { $0 != Int32.max } }
    }

    /// Scans one part of ingest's events.jsonl for `event` (rows with a line error, of other
    /// events or unknown customers are skipped).
    public static func scan(_ er: JSONLReader, table: CustomerTable, event: String, days: Int, asOf: Day) throws
        -> EventScan
    {
        let eventBytes = Array(event.utf8)
        var out = EventScan(customers: table.count)
        var lastId = ""
        var lastIndex: Int? = nil
        var lastFound: Int? = nil
        while try er.next() {
            guard er.lineError == nil,
                er.withStringBytes(EventRecord.Key.event, { $0.elementsEqual(eventBytes) })
                    ?? (er.string(EventRecord.Key.event) == event),
                let id = er.string(EventRecord.Key.customerId), let d = er.day(EventRecord.Key.date)
            else { continue }
            // Events come grouped by customer: search the table once per run of rows, starting
            // after the last customer found.
            if id != lastId {
                lastId = id
                lastIndex = table.index(of: id, after: lastFound)
                lastFound = lastIndex ?? lastFound
            }
            guard let i = lastIndex else { continue }
            out.add(customer: i, day: d.raw, start: table.firstStart[i], days: Int32(days), asOf: asOf.raw)
        }
        return out
    }

    /// The last first start whose activation window of `days` has closed by `asOf`
    /// (`first_start + days <= as_of + 1`).
    public static func windowEnd(asOf: Day, days: Int) -> Int32 { asOf.raw + 1 - Int32(days) }

    /// The rows of activation.jsonl: `(all)`/`(all)` first, then per cohort the `(all)` row and
    /// the channels by the bytes of their names, as phases.jsonl. A customer whose activation
    /// window has not closed (first start after `windowEnd`) is left out of `customers` and
    /// `activated` and counted in `window_open`: including them would pull the newest cohort's
    /// rate down only because its customers have had less time.
    public static func rows(table: CustomerTable, activated: [Bool], windowEnd: Int32) -> [ActivationRecord] {
        let names = table.channels.names
        var agg: [CohortChannelCell: (Int, Int, Int)] = [:]
        for i in 0..<table.count where table.converted(i) {
            let open = table.firstStart[i] > windowEnd
            CohortChannelCell.each(cohort: table.cohort[i], channel: table.channel[i]) { k in
                let v = agg[k] ?? (0, 0, 0)
                agg[k] = open ? (v.0, v.1, v.2 + 1) : (v.0 + 1, v.1 + (activated[i] ? 1 : 0), v.2)
            }
        }
        return agg.sorted { CohortChannelCell.precedes($0.key, $1.key, names: names) }.map { k, v in
            ActivationRecord(
                cohort: k.month, channel: k.channelName(names), customers: v.0,
                activated: v.1, activationRate: ratio(Int64(v.1), Int64(v.0)), windowOpen: v.2)
        }
    }
}
