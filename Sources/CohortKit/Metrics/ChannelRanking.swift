/// Which channels keep their own curve, triangle and log-rank group when there are many: the
/// `limit` channels with the most converted customers (ties broken by name in UTF-8 byte order);
/// the others are pooled into one `(other)` group (`report.max_channels`).
///
/// The cohort stage writes the pooled group's rows next to the per-channel ones, and the report
/// ranks the channels again from `survival.jsonl` with the same rule, so both agree on the set.
/// Example: customers `a: 5, b: 9, c: 5, d: 1` with limit 2 keep `b` and `a` (`a` before `c` by
/// name) and pool `c` and `d`.
///
/// - Complexity: O(G log G) for G channels.
public struct ChannelRanking: Sendable, Equatable {
    /// The name of the pooled group in outputs.
    public static let otherName = "(other)"

    /// `pooled[g]`: channel g has customers but is not among the top `limit`.
    public let pooled: [Bool]
    /// How many channels are pooled (0 when every channel with customers keeps its own rows).
    public let pooledCount: Int

    /// Ranks channels `0..<customers.count` by `customers[g]` (channels without customers are
    /// neither kept nor pooled).
    public init(customers: [Int], names: [String], limit: Int) {
        let present = customers.indices.filter { customers[$0] > 0 }
        var pooled = [Bool](repeating: false, count: customers.count)
        if present.count > limit {
            let ranked = present.sorted { a, b in
                customers[a] != customers[b]
                    ? customers[a] > customers[b] : names[a].utf8Precedes(names[b])
            }
            for g in ranked.dropFirst(max(0, limit)) { pooled[g] = true }
        }
        self.pooled = pooled
        self.pooledCount = pooled.lazy.filter { $0 }.count
    }

    /// Whether any channel is pooled.
    public var hasPooled: Bool { pooledCount > 0 }
}
