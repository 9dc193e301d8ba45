/// One attribution dimension resolved to a level per customer (after pooling small values).
public struct AttributionDimension: Sendable {
    public var name: String
    public var levels: [String]
    /// Level index per customer, -1 for customers outside the survival population.
    public var level: [Int32]
    /// The index of `(other)` when small levels were pooled into it.
    public var pooledLevel: Int?
}

/// How churn-attribution turns the configured dimensions into levels per customer: resolving
/// them from the customer table, adding the touch tier and activation, pooling small values into
/// `(other)`, and limiting the values compared pairwise or fitted by the Cox model
/// (docs/metrics.md#segments).
public enum Dimensions {
    /// Every dimension the stage reports on, pooled: the configured ones, then `touch_tier`, then
    /// `activation` when activation is known.
    public static func all(cfg: PipelineConfig, table: CustomerTable, activated: [Bool]?) throws
        -> [AttributionDimension]
    {
        var dims = try resolve(cfg: cfg, table: table)
        dims.append(try touchTier(table: table, high: cfg.touchTierHighMinor, low: cfg.touchTierLowMinor))
        if let activated { dims.append(activation(activated, table: table)) }
        return dims.map { pool($0, min: cfg.minSegmentCustomers) }
    }

    /// The configured dimensions: the acquisition channel, a customers' attribute, or the first plan.
    /// A name that is none of these is a configuration error listing what the data has.
    public static func resolve(cfg: PipelineConfig, table: CustomerTable) throws -> [AttributionDimension] {
        let attributes = table.attributes
        let available = Set(attributes.names.names)
        var out: [AttributionDimension] = []
        for name in cfg.dimensions {
            let dimension: AttributionDimension
            // The derived dimensions are always there under these names: an attribute of the same
            // name would be listed with them as one dimension, its values mixed with the tiers.
            if derivedNames.contains(name) {
                throw ConfigError(
                    file: cfg.file, keyPath: "attribution.dimensions",
                    message:
                        "dimension \"\(name)\" is the name of a dimension churn-attribution derives (touch_tier from the initial ARR, activation from the events when configured); the customers' \"\(name)\" column cannot be listed under it",
                    hint:
                        "Remove \"\(name)\" from attribution.dimensions, or read the column under another name (\"columns\": {\"customer_\(name)\": \"\(name)\"} in sources.customers) and list that name."
                )
            }
            if name == "acquisition_channel" || name == "channel" {
                let channels = table.channels
                dimension = make(
                    name: "acquisition_channel", table: table, codes: channels.count, code: { Int(table.channel[$0]) },
                    label: { channels[Int32($0)] })
            } else if let key = attributes.names.lookup(name) {
                // Code `values.count`: the customer does not have the attribute.
                let none = attributes.values.count
                dimension = make(
                    name: name, table: table, codes: none + 1,
                    code: { attributes.value(of: key, customer: $0).map(Int.init) ?? none },
                    label: { v in
                        guard v < none, !attributes.values[v].isEmpty else { return "(unknown)" }
                        return Label.fromInput(attributes.values[v])
                    })
            } else if name == "plan" {
                let plans = table.plans
                dimension = make(
                    name: name, table: table, codes: plans.count + 1,
                    code: { table.firstPlan[$0] >= 0 ? Int(table.firstPlan[$0]) : plans.count },
                    label: { $0 < plans.count ? plans[Int32($0)] : "(unknown)" })
            } else {
                let names = ["acquisition_channel", "plan"] + available.sorted()
                let near = DataWarnings.nearColumn(to: name, in: names)
                throw ConfigError(
                    file: cfg.file, keyPath: "attribution.dimensions",
                    message: "dimension \"\(name)\" is not in the data",
                    hint: (near.map { "Did you mean \"\($0)\"? " } ?? "")
                        + "The data has: \(names.joined(separator: ", ")). Remove it or add the column to the customers export."
                )
            }
            out.append(dimension)
        }
        return out
    }

    /// The dimensions derived from the data rather than read from a customers column.
    static let derivedNames: Set<String> = ["touch_tier", "activation"]

    /// A dimension from a code per customer in `0..<codes` and each code's label: levels are the
    /// labels numbered in order of first appearance among converted customers (codes with one
    /// label share a level); the others get -1. A label is made and looked up once per code, not
    /// once per customer.
    static func make(
        name: String, table: CustomerTable, codes: Int, code: (Int) -> Int, label: (Int) -> String
    ) -> AttributionDimension {
        var levels = StringTable()
        var levelOf = [Int32](repeating: -1, count: codes)
        var level = [Int32](repeating: -1, count: table.count)
        for i in 0..<table.count where table.converted(i) {
            let c = code(i)
            var l = levelOf[c]
            if l < 0 {
                l = levels.id(label(c))
                levelOf[c] = l
            }
            level[i] = l
        }
        return AttributionDimension(name: name, levels: levels.names, level: level, pooledLevel: nil)
    }

    /// Touch tier from initial ARR (initial MRR × 12): high, low, or tech touch.
    public static func touchTier(table: CustomerTable, high: Int64, low: Int64) throws -> AttributionDimension {
        // Every customer's ARR is checked, converted or not.
        var tier = [UInt8](repeating: 0, count: table.count)
        for i in 0..<table.count {
            let arr = try CheckedMinor.product(
                table.initialMRR[i], 12, "the initial ARR (12 × initial MRR) of customer \(table.ids[i])")
            tier[i] = UInt8(AccountsAtRisk.tierIndex(arrMinor: arr, high: high, low: low))
        }
        let tiers = AccountsAtRisk.tiers
        return make(name: "touch_tier", table: table, codes: tiers.count, code: { Int(tier[$0]) }, label: { tiers[$0] })
    }

    /// Activation as a dimension: `activated` or `not_activated`.
    public static func activation(_ activated: [Bool], table: CustomerTable) -> AttributionDimension {
        make(
            name: "activation", table: table, codes: 2, code: { activated[$0] ? 0 : 1 },
            label: { $0 == 0 ? "activated" : "not_activated" })
    }

    /// Pools levels with fewer than `min` customers into `(other)`; levels are then ordered by
    /// name (with `(other)` last).
    public static func pool(_ d: AttributionDimension, min: Int) -> AttributionDimension {
        let counts = customerCounts(d)
        let keep = d.levels.indices.filter { counts[$0] >= min }.sorted {
            d.levels[$0].utf8Precedes(d.levels[$1])
        }
        let small = d.levels.indices.filter { counts[$0] < min && counts[$0] > 0 }
        var names = keep.map { d.levels[$0] }
        var map = [Int32](repeating: -1, count: d.levels.count)
        for (n, k) in keep.enumerated() { map[k] = Int32(n) }
        var pooled: Int? = nil
        if !small.isEmpty {
            let other = names.count
            pooled = other
            names.append("(other)")
            for k in small { map[k] = Int32(other) }
        }
        return AttributionDimension(
            name: d.name, levels: names, level: d.level.map { $0 >= 0 ? map[Int($0)] : -1 }, pooledLevel: pooled)
    }

    /// The levels that get pairwise tests: every level (`(other)` included) while there are at
    /// most `max`, else the `max` with the most customers (ties by name); in level order.
    /// Pairs grow with the square of the levels: 10,000 plans would make 50 million tests.
    public static func comparedLevels(_ d: AttributionDimension, sizes: [Int], max: Int) -> [Int] {
        let all = Array(d.levels.indices)
        guard all.count > max else { return all }
        let ranked = all.sorted { a, b in
            sizes[a] != sizes[b] ? sizes[a] > sizes[b] : d.levels[a].utf8Precedes(d.levels[b])
        }
        return ranked.prefix(max).sorted()
    }

    /// The dimension as the Cox model sees it: at most `max` levels, the ones with the most
    /// customers (ties by name), the others joined to `(other)`. One column per level makes the
    /// fit O(n·p²) per iteration; thousands of sales reps would stall it.
    public static func capped(_ d: AttributionDimension, max: Int) -> AttributionDimension {
        let counts = customerCounts(d)
        let present = d.levels.indices.filter { counts[$0] > 0 }
        guard present.count > max else { return d }
        let candidates = present.filter { $0 != d.pooledLevel }.sorted { a, b in
            counts[a] != counts[b]
                ? counts[a] > counts[b] : d.levels[a].utf8Precedes(d.levels[b])
        }
        let keep = candidates.prefix(max - 1).sorted()
        var map = [Int32](repeating: Int32(keep.count), count: d.levels.count)
        for (n, k) in keep.enumerated() { map[k] = Int32(n) }
        return AttributionDimension(
            name: d.name, levels: keep.map { d.levels[$0] } + ["(other)"],
            level: d.level.map { $0 >= 0 ? map[Int($0)] : -1 }, pooledLevel: keep.count)
    }

    /// Customers per level of `d`.
    static func customerCounts(_ d: AttributionDimension) -> [Int] {
        var counts = [Int](repeating: 0, count: d.levels.count)
        for l in d.level where l >= 0 { counts[Int(l)] += 1 }
        return counts
    }

    /// The most terms the Cox model fits for `events` churned customers: one per ten events (the
    /// usual floor of events per variable for a proportional-hazards model, Peduzzi et al. 1995),
    /// and never fewer than 20. More terms than that estimate nothing (a hazard ratio from three
    /// customers has a confidence interval from zero to infinity) and cost q³ per iteration.
    public static func coxTermLimit(events: Int) -> Int { Swift.max(20, events / 10) }

    /// The dimensions the Cox model is fitted on: all but the touch tier (a function of the
    /// first plan's price: next to `plan` it would be collinear), each capped at `max` levels, or
    /// at fewer when their terms (levels but the reference) would outnumber
    /// `coxTermLimit(events:)`: then at the largest cap, the same for every dimension, that keeps
    /// them within it (a dimension keeps at least two levels).
    public static func forCox(_ dims: [AttributionDimension], max: Int, events: Int) -> [AttributionDimension] {
        let fitted = dims.filter { d in d.name != "touch_tier" }
        let present = fitted.map { customerCounts($0).filter { $0 > 0 }.count }
        let limit = coxTermLimit(events: events)
        func terms(_ cap: Int) -> Int { present.reduce(0) { $0 + Swift.max(0, Swift.min($1, cap) - 1) } }
        var cap = max
        while cap > 2, terms(cap) > limit { cap -= 1 }
        return fitted.map { capped($0, max: cap) }
    }
}
