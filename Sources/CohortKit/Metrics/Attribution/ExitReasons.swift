/// Exit reasons of churn-attribution (docs/metrics.md#exit-reasons): each customer's latest
/// cancellation reason on or before as_of, mapped to its category, counted with the MRR lost at
/// the customer's latest churn, per channel and over all channels.
public struct ExitReasons: Sendable {
    /// The day of each customer's latest cancellation so far (Int32.min: none).
    public private(set) var latestDate: [Int32]
    /// Its reason, in `reasons` (-1: none).
    public private(set) var latestReason: [Int32]
    /// Reasons numbered as they come (few distinct), so the per-customer work is integer bookkeeping.
    public private(set) var reasons = StringTable()

    /// No cancellations yet for `customers` customers.
    public init(customers: Int) {
        latestDate = Array(repeating: Int32.min, count: customers)
        latestReason = Array(repeating: -1, count: customers)
    }

    /// Takes a cancellation of customer `i` on `day` with `reason` (nil or empty: no reason given):
    /// the latest by date wins, and of the same date the one added last (the later line).
    public mutating func add(customer i: Int, day: Int32, reason: String?) {
        let r = reasons.id(reason.flatMap { $0.isEmpty ? nil : Label.fromInput($0) } ?? "(no reason given)")
        if latestReason[i] < 0 || day >= latestDate[i] {
            latestDate[i] = day
            latestReason[i] = r
        }
    }

    /// The latest cancellation of each customer of `table` from ingest's cancellations.jsonl;
    /// rows after `asOf`, of unknown customers or with a line error are skipped.
    public static func latest(_ rr: JSONLReader, table: CustomerTable, asOf: Day) throws -> ExitReasons {
        var out = ExitReasons(customers: table.count)
        var lastId = ""
        var lastIndex: Int? = nil
        var lastFound: Int? = nil
        while try rr.next() {
            guard rr.lineError == nil, let id = rr.string(CancellationRecord.Key.customerId),
                let d = rr.day(CancellationRecord.Key.date)
            else { continue }
            // Rows usually come in customer order: search the table once per run of rows, starting
            // after the last customer found.
            if id != lastId {
                lastIndex = table.index(of: id, after: lastFound)
                lastFound = lastIndex ?? lastFound
                lastId = id
            }
            guard let i = lastIndex else { continue }
            if d.raw > asOf.raw { continue }
            out.add(customer: i, day: d.raw, reason: rr.string(CancellationRecord.Key.reason))
        }
        return out
    }

    /// The rows of reasons.jsonl: per channel (`(all)` first, then by name) and category, a row per
    /// reason after the category's `(all)` total. `channel[i]` indexes `channels`; `lastChurnMRR[i]`
    /// is the MRR customer i took; `categories` maps reasons (any case, as the data spells them) to
    /// categories, the others being `(unmapped)`. Reasons that differ only in case are one reason,
    /// shown in the spelling most of its customers have (`folded`).
    public func rows(channel: [Int32], channels: [String], lastChurnMRR: [Int64], categories: [(String, String)])
        throws -> [ReasonRecord]
    {
        let categoryOf = Dictionary(categories.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
        let reasonCount = reasons.names.count
        let folded = folded()
        var byChannelReason = [(Int, Int64)](repeating: (0, 0), count: channels.count * reasonCount)
        for i in latestReason.indices where latestReason[i] >= 0 {
            let k = Int(channel[i]) * reasonCount + folded[Int(latestReason[i])]
            byChannelReason[k].0 += 1
            byChannelReason[k].1 = try CheckedMinor.sum(
                byChannelReason[k].1, lastChurnMRR[i], "reasons' churned_mrr_minor")
        }
        struct Key: Hashable {
            var channel: String
            var category: String
            var reason: String
        }
        // The string-keyed aggregate is built from (channel, reason) totals.
        var agg: [Key: (Int, Int64)] = [:]
        for c in 0..<channels.count {
            for r in 0..<reasonCount where byChannelReason[c * reasonCount + r].0 > 0 {
                let (count, mrr) = byChannelReason[c * reasonCount + r]
                let reason = reasons.names[r]
                // Looked up as the data spells it (`(other)` in the data is `\(other)` here).
                let category = categoryOf[Label.toInput(reason).lowercased()] ?? "(unmapped)"
                // Rows per reason, plus category totals under the reason "(all)".
                for ch in ["(all)", channels[c]] {
                    for reason in [reason, "(all)"] {
                        let k = Key(channel: ch, category: category, reason: reason)
                        let v = agg[k] ?? (0, 0)
                        agg[k] = (
                            v.0 + count, try CheckedMinor.sum(v.1, mrr, "reasons' churned_mrr_minor for \(reason)")
                        )
                    }
                }
            }
        }
        func sortKey(_ k: Key) -> (String, String, String) {
            (k.channel == "(all)" ? "" : k.channel, k.category, k.reason == "(all)" ? "" : k.reason)
        }
        return agg.sorted { sortKey($0.key) < sortKey($1.key) }.map { k, v in
            ReasonRecord(
                channel: k.channel, category: k.category, reason: k.reason, customers: v.0, churnedMRRMinor: v.1)
        }
    }

    /// For each reason, the reason it is counted under: of the reasons that are one ignoring case,
    /// the spelling the most customers' latest cancellations have (ties: the first in byte order).
    /// The pipeline's own `(no reason given)` stays apart from a reason the data spells so in
    /// another case.
    func folded() -> [Int] {
        var customers = [Int](repeating: 0, count: reasons.names.count)
        for r in latestReason where r >= 0 { customers[Int(r)] += 1 }
        // As the data spells it: `(Other)` and `(other)` (held escaped, `\(other)`) are one reason.
        func key(_ name: String) -> String {
            Label.reserved.contains(name) ? "\u{0}" + name : Label.toInput(name).lowercased()
        }
        var chosen: [String: Int] = [:]
        for (r, name) in reasons.names.enumerated() {
            let k = key(name)
            guard let c = chosen[k] else {
                chosen[k] = r
                continue
            }
            let other = reasons.names[c]
            if customers[r] > customers[c]
                || (customers[r] == customers[c] && Array(name.utf8).lexicographicallyPrecedes(other.utf8))
            {
                chosen[k] = r
            }
        }
        return reasons.names.map { chosen[key($0)]! }
    }
}
