/// The "what matters" paragraph: two to five sentences chosen from numbers the marts computed —
/// the largest gaps to the customer-success bars, the dimension whose churn differs most
/// significantly (log-rank) and the strongest Cox term, and what a point of churn is worth.
///
/// Nothing is computed here beyond differences to the bars and the choice of what to mention;
/// every figure quoted is a value of the model.
struct WhatMatters {
    let model: ReportModel
    let t: Localizer
    let f: ReportFormatter
    /// Significance level for mentioning a dimension or a Cox term.
    static let alpha = 0.05
    static let maxSentences = 5

    func either(_ en: String, _ ja: String) -> String { t.pick(en, ja) }
    /// A headline value with a verdict: nil when absent, null, or shown without a band (too thin a base).
    func kpi(_ id: String) -> Double? {
        guard let k = model.kpis.first(where: { $0.id == id }), k.thinBase == nil else { return nil }
        return k.value
    }
    func pct(_ v: Double) -> String { f.percent(v) }
    /// `v` beside the bars of band `b`: with more decimals while it would read as a bar it is not.
    func pct(_ v: Double, _ b: MetricCatalog.Band) -> String { f.value(v, kind: .percent, bars: b.bars) }
    /// `p < 0.001` or `p = 0.012`.
    func pText(_ p: Double?) -> String {
        let v = f.pValue(p)
        return v.hasPrefix("<") ? "p " + v : "p = " + v
    }
    /// The customer-success band of headline metric `id` (the metric catalog's).
    func band(_ id: String) -> MetricCatalog.Band? { MetricCatalog.metric(id)?.band }
    /// A bar as the sentences quote it, in whole percent: 1.2 → "120%".
    func barText(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
    /// A gap in percentage points, one decimal: 0.029 → "2.9".
    /// A gap that is not zero never reads as 0.0: 0.0004 → "0.04".
    func points(_ v: Double) -> String {
        var digits = 1
        while digits < 5, v != 0, f.decimal(abs(v) * 100, digits: digits) == f.decimal(0, digits: digits) {
            digits += 1
        }
        return f.decimal(abs(v) * 100, digits: digits)
    }

    func sentences() -> [String] {
        // Bars first, the widest shortfall first; a bar that is met is still worth one sentence.
        var bars: [(shortfall: Double, text: String)] = []
        func bar(_ shortfall: Double, _ en: String, _ ja: String) { bars.append((shortfall, either(en, ja))) }
        // The bars are the catalog's bands (docs/metrics.md#customer-success-bars).
        typealias K = KPIsRecord.CodingKeys
        if let v = kpi(K.nrrTrailing12m.id), let b = band(K.nrrTrailing12m.id) {
            let (high, floor) = (b.good, b.ok)
            if v >= high {
                bar(
                    high - v,
                    "NRR over the trailing 12 months is \(pct(v, b)), above the \(barText(high)) high-growth bar.",
                    "直近12か月の NRR は \(pct(v, b)) で、高成長の目安 \(barText(high)) を上回っています。")
            } else if v >= floor {
                bar(
                    high - v,
                    "NRR over the trailing 12 months is \(pct(v, b)): healthy, \(points(high - v)) points short of the \(barText(high)) high-growth bar.",
                    "直近12か月の NRR は \(pct(v, b)) で健全ですが、高成長の目安 \(barText(high)) まで \(points(high - v)) ポイント足りません。")
            } else {
                bar(
                    floor - v + 1,
                    "NRR over the trailing 12 months is \(pct(v, b)), \(points(floor - v)) points below the \(barText(floor)) bar: existing customers shrink.",
                    "直近12か月の NRR は \(pct(v, b)) で、\(barText(floor)) の目安を \(points(floor - v)) ポイント下回っています（既存顧客の売上が縮小）。")
            }
        }
        if let v = kpi(K.logoChurnAnnual.id), let b = band(K.logoChurnAnnual.id) {
            let limit = b.good
            if v <= limit {
                bar(
                    v - limit, "Annual logo churn is \(pct(v, b)), within the \(barText(limit)) bar.",
                    "年間ロゴ解約率は \(pct(v, b)) で、\(barText(limit)) の目安以内です。")
            } else {
                bar(
                    v - limit + 1,
                    "Annual logo churn is \(pct(v, b)), \(points(v - limit)) points above the \(barText(limit)) bar to meet before pushing expansion.",
                    "年間ロゴ解約率は \(pct(v, b)) で、拡大投資の前に満たしたい \(barText(limit)) の目安を \(points(v - limit)) ポイント上回っています。")
            }
        }
        if let v = kpi("activation_rate"), let b = band("activation_rate") {
            let target = b.good
            if v >= target {
                bar(
                    target - v, "\(pct(v, b)) of new customers activate, at the \(barText(target)) onboarding bar.",
                    "新規顧客の \(pct(v, b)) がアクティベートしており、\(barText(target)) の目安を満たしています。")
            } else {
                bar(
                    target - v + 1,
                    "\(pct(v, b)) of new customers activate, \(points(target - v)) points short of the \(barText(target)) onboarding bar.",
                    "アクティベーション率は \(pct(v, b)) で、オンボーディングの目安 \(barText(target)) に \(points(target - v)) ポイント届いていません。")
            }
        }
        var out = bars.sorted { $0.shortfall > $1.shortfall }.prefix(2).map(\.text)
        if let s = segmentSentence() { out.append(s) }
        if let s = coxSentence() { out.append(s) }
        if let v = model.impact.oneChurnPointPerYear, v > 0 {
            out.append(
                either(
                    // "About" a rounded amount: the figure is an estimate, not a count of yen.
                    "Each point of monthly logo churn is worth about \(f.compactMoney(v)) of revenue a year.",
                    "月次ロゴ解約率 1 ポイントは年間約 \(f.compactMoney(v))の売上に相当します。"))
        }
        return Array(out.prefix(Self.maxSentences))
    }

    /// The most significant dimension (log-rank) and its riskiest value.
    func segmentSentence() -> String? {
        let tests = model.attribution.dimensionTests.filter { ($0.p ?? 1) < Self.alpha }.sorted {
            ($0.p ?? 1, $0.dimension) < ($1.p ?? 1, $1.dimension)
        }
        for test in tests {
            let worst = model.attribution.segments
                .filter { $0.dimension == test.dimension && !$0.pooled && ($0.relativeRisk ?? 0) > 1 }
                .max { ($0.relativeRisk ?? 0, $1.value) < ($1.relativeRisk ?? 0, $0.value) }
            guard let worst, let rr = worst.relativeRisk else { continue }
            let dim = t.dimensionName(test.dimension)
            return either(
                "Churn differs by \(dim) (log-rank \(pText(test.p))): \(SummaryMarkdown.cut(t.valueName(worst.value))) churns \(f.decimal(rr, digits: 2))× as often as average in its first year.",
                "解約は\(dim)によって異なります（ログランク \(pText(test.p))）。\(SummaryMarkdown.cut(t.valueName(worst.value))) の初年度解約は平均の \(f.decimal(rr, digits: 2)) 倍です。"
            )
        }
        return nil
    }

    /// The Cox term with the smallest p-value below `alpha`.
    func coxSentence() -> String? {
        let terms = model.cox.terms.filter { ($0.p ?? 1) < Self.alpha && $0.hazardRatio != nil }
            .sorted { ($0.p ?? 1, $0.dimension, $0.level) < ($1.p ?? 1, $1.dimension, $1.level) }
        guard let term = terms.first, let hr = term.hazardRatio else { return nil }
        let dim = t.dimensionName(term.dimension)
        let ci =
            (term.lower.map { f.decimal($0, digits: 2) } ?? "—") + "–"
            + (term.upper.map { f.decimal($0, digits: 2) } ?? "—")
        return either(
            "With the other dimensions held fixed (Cox model), \(dim) = \(SummaryMarkdown.cut(t.valueName(term.level))) has a hazard ratio of \(f.decimal(hr, digits: 2)) against \(SummaryMarkdown.cut(t.valueName(term.reference))) (95% CI \(ci), \(pText(term.p))).",
            "他の要因をそろえると（Cox モデル）、\(dim) = \(SummaryMarkdown.cut(t.valueName(term.level))) のハザード比は \(SummaryMarkdown.cut(t.valueName(term.reference))) に対して \(f.decimal(hr, digits: 2))（95% 信頼区間 \(ci)、\(pText(term.p))）です。"
        )
    }
}
