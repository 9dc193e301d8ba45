/// Limits a report to the channels (and dimension values) a reader can take in: the
/// `report.max_channels` with the most customers keep their own charts and rows, the rest are
/// shown as one `(other)` bucket. The stage outputs keep every channel.
///
/// Triangles and curves of `(other)` are computed by `cohort` (which pools with the same
/// `ChannelRanking`); rows that are plain counts (exit reasons, activation) are summed here.
///
/// - Complexity: O(rows + G log G) for G channels.
extension ReportModel {
    public mutating func poolChannels(max limit: Int) {
        maxChannels = limit
        let other = ChannelRanking.otherName
        let shown = ShownChannels(survival, limit: limit)
        let keep = shown.contains
        let pools = shown.pools
        pooledChannels = shown.pooledCount
        // cohort's (other) rows hold the channels it pooled; when they are not the ones pooled
        // here (cohort ran with another max_channels), they are left out rather than mislabelled.
        let otherMatches = survival.first { $0.channel == other }?.customers == shown.pooledCustomers && pools
        if !otherMatches {
            triangles.removeAll { $0.channel == other }
            survival.removeAll { $0.channel == other }
        }
        if pools {
            triangles = triangles.filter { keep($0.channel) }
            survival = survival.filter { keep($0.channel) }
            reasons.rows = Self.pooled(reasons.rows, keep: keep)
            activation = Self.pooled(activation, keep: keep)
        }
        limitSegments(limit)
        limitReasons(limit)
    }

    /// Keeps, per channel and category, the `limit` reasons with the most customers (then the
    /// most churned MRR, then by name) in their order, and sums the others into one `(other)`
    /// row after them. Free-text reasons (one per cancellation) otherwise made a row each: tens
    /// of thousands of rows and megabytes of page. reasons.jsonl keeps every reason.
    ///
    /// - Complexity: O(R log R) for R reason rows.
    mutating func limitReasons(_ limit: Int) {
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (i, r) in reasons.rows.enumerated() {
            let key = r.channel + "\u{1F}" + r.category
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(i)
        }
        // A group one row over the limit keeps it: an (other) row of one reason would hide its
        // name and shorten nothing.
        guard groups.values.contains(where: { $0.count > limit + 1 }) else { return }
        let rows = reasons.rows
        var out: [ReasonRow] = []
        var hidden = 0
        for key in order {
            let members = groups[key]!
            guard members.count > limit + 1 else {
                out += members.map { rows[$0] }
                continue
            }
            let ranked = members.sorted { a, b in
                let (x, y) = (rows[a], rows[b])
                if x.customers != y.customers { return x.customers > y.customers }
                if x.churnedMRR != y.churnedMRR { return x.churnedMRR > y.churnedMRR }
                return x.reason.utf8Precedes(y.reason)
            }
            let kept = Set(ranked.prefix(limit))
            out += members.filter(kept.contains).map { rows[$0] }
            var other = ReasonRow(
                category: rows[members[0]].category, reason: ChannelRanking.otherName,
                channel: rows[members[0]].channel,
                customers: 0, churnedMRR: 0)
            for i in ranked.dropFirst(limit) { other.add(rows[i]) }
            out.append(other)
            hidden += members.count - limit
        }
        reasons.rows = out
        reasons.hiddenRows = hidden
    }

    /// Reason rows of pooled channels summed per (category, reason) into `(other)`, after the rest.
    static func pooled(_ rows: [ReasonRow], keep: (String) -> Bool) -> [ReasonRow] {
        var out = rows.filter { keep($0.channel) }
        var sums: [String: ReasonRow] = [:]
        for r in rows where !keep(r.channel) {
            let key = r.category + "\u{1F}" + r.reason
            var s =
                sums[key]
                ?? ReasonRow(
                    category: r.category, reason: r.reason, channel: ChannelRanking.otherName, customers: 0,
                    churnedMRR: 0)
            s.add(r)
            sums[key] = s
        }
        out += sums.values.sorted { ($0.category, $0.reason) < ($1.category, $1.reason) }
        return out
    }

    /// Activation rows of pooled channels summed per cohort into `(other)`, placed after each
    /// cohort's own rows.
    static func pooled(_ rows: [ActivationRow], keep: (String) -> Bool) -> [ActivationRow] {
        var sums: [String: (customers: Int, activated: Int)] = [:]
        for r in rows where !keep(r.channel) {
            let v = sums[r.cohort] ?? (0, 0)
            sums[r.cohort] = (v.customers + r.customers, v.activated + r.activated)
        }
        var out: [ActivationRow] = []
        out.reserveCapacity(rows.count)
        var i = 0
        while i < rows.count {
            let cohort = rows[i].cohort
            while i < rows.count, rows[i].cohort == cohort {
                if keep(rows[i].channel) { out.append(rows[i]) }
                i += 1
            }
            if let v = sums.removeValue(forKey: cohort) {
                out.append(
                    ActivationRow(
                        cohort: cohort, channel: ChannelRanking.otherName, customers: v.customers,
                        activated: v.activated,
                        rate: v.customers == 0 ? nil : Double(v.activated) / Double(v.customers)))
            }
        }
        return out
    }

    /// Keeps, per dimension, the `limit` values with the most customers (ties by name) and the
    /// pooled `(other)` row; impact rows, pairwise tests and Cox terms follow the values kept.
    mutating func limitSegments(_ limit: Int) {
        var byDimension: [String: [Int]] = [:]
        for (i, s) in attribution.segments.enumerated() where !s.pooled {
            byDimension[s.dimension, default: []].append(i)
        }
        var drop = Set<Int>()
        var omitted: [String: Int] = [:]
        for (dimension, rows) in byDimension where rows.count > limit {
            let segs = attribution.segments
            let ranked = rows.sorted { a, b in
                segs[a].customers != segs[b].customers
                    ? segs[a].customers > segs[b].customers
                    : segs[a].value.utf8Precedes(segs[b].value)
            }
            for i in ranked.dropFirst(limit) { drop.insert(i) }
            omitted[dimension] = rows.count - limit
        }
        guard !drop.isEmpty else { return }
        var dropped = Set<String>()
        for i in drop { dropped.insert(attribution.segments[i].dimension + "\u{1F}" + attribution.segments[i].value) }
        attribution.segments = attribution.segments.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        attribution.omittedValues = omitted
        let impactRows = impact.rows.count
        impact.rows = impact.rows.filter { !dropped.contains($0.dimension + "\u{1F}" + $0.value) }
        impact.hiddenRows = impactRows - impact.rows.count
        // Values without a segment row of their own (joined to (other) by the Cox model) count
        // as dropped when their dimension is limited.
        var shown = Set<String>()
        for seg in attribution.segments { shown.insert(seg.dimension + "\u{1F}" + seg.value) }
        func visible(_ dimension: String, _ value: String) -> Bool {
            omitted[dimension] == nil || shown.contains(dimension + "\u{1F}" + value)
        }
        attribution.pairwise = attribution.pairwise.filter {
            visible($0.dimension, $0.a) && visible($0.dimension, $0.b)
        }
        let terms = cox.terms.count
        cox.terms = cox.terms.filter { visible($0.dimension, $0.level) }
        cox.hiddenTerms = terms - cox.terms.count
    }

    /// The model as the Markdown and HTML reports show it: the `limit` latest months only, so a
    /// long history does not grow the pages with months × offsets × channels. Cohort rows
    /// (retention triangles, activation, success phases) keep the latest signup months, the MRR
    /// movements the latest calendar months. Each triangle's weighted row, which pools the
    /// complete cells of every cohort, stays; so do the overall phase row and every other section.
    /// `summary.json`, `triangles.csv` and the history record use the whole model.
    ///
    /// - Complexity: O(rows + C log C) for C months.
    public func limitingMonths(to limit: Int) -> ReportModel {
        var out = self
        if movements.count > limit {
            out.maxMonths = limit
            out.hiddenMovementMonths = movements.count - limit
            out.movements = Array(movements.suffix(limit))
        }
        var months = Set<String>()
        for t in triangles { for r in t.rows where !r.isWeighted { months.insert(r.cohort) } }
        for r in activation { months.insert(r.cohort) }
        for r in phases where r.cohort != "(all)" { months.insert(r.cohort) }
        guard months.count > limit else { return out }
        let sorted = months.sorted { $0.utf8Precedes($1) }
        let first = sorted[sorted.count - limit]
        func shown(_ cohort: String) -> Bool { !cohort.utf8Precedes(first) }
        out.maxMonths = limit
        out.hiddenCohorts = sorted.count - limit
        out.firstShownCohort = first
        out.triangles = triangles.map { t in
            var kept = t
            kept.rows = t.rows.filter { $0.isWeighted || shown($0.cohort) }
            kept.hiddenCustomers += t.customers - kept.customers
            return kept
        }
        out.activation = activation.filter { shown($0.cohort) }
        out.phases = phases.filter { $0.cohort == "(all)" || shown($0.cohort) }
        return out
    }
}

/// The channels a report shows by themselves: the `limit` with the most converted customers (their
/// survival curves' `customers`, as cohort ranks them), `(all)` and `(other)`; every channel when
/// there are no more than `limit`.
struct ShownChannels {
    /// Whether some channels are pooled into `(other)`.
    let pools: Bool
    let pooledCount: Int
    /// The converted customers of the pooled channels together.
    let pooledCustomers: Int
    private let kept: Set<String>

    init(_ survival: [SurvivalCurve], limit: Int) {
        let other = ChannelRanking.otherName
        let curves = survival.filter { $0.channel != "(all)" && $0.channel != other }
        let names = curves.map(\.channel)
        let ranking = ChannelRanking(customers: curves.map(\.customers), names: names, limit: limit)
        var kept = Set<String>()
        for (i, n) in names.enumerated() where !ranking.pooled[i] { kept.insert(n) }
        self.kept = kept
        pools = ranking.hasPooled
        pooledCount = ranking.pooledCount
        pooledCustomers = curves.indices.filter { ranking.pooled[$0] }.reduce(0) { $0 + curves[$1].customers }
    }

    /// Channels without a curve (no converted customer) only appear in count rows; they are
    /// pooled too when the report pools at all.
    func contains(_ channel: String) -> Bool {
        !pools || channel == "(all)" || channel == ChannelRanking.otherName || kept.contains(channel)
    }
}

extension ReasonRow {
    /// Adds `r`'s customers and churned MRR. The sums of a display row stop at the largest value
    /// instead of trapping (a row's amount may be near 2^63; its customers at most 10^12,
    /// `PlausibleValues`); reasons.jsonl keeps the rows themselves.
    mutating func add(_ r: ReasonRow) {
        let (c, o1) = customers.addingReportingOverflow(r.customers)
        let (m, o2) = churnedMRR.addingReportingOverflow(r.churnedMRR)
        customers = o1 ? .max : c
        churnedMRR = o2 ? .max : m
    }
}
