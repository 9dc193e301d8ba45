/// Chart labels and sentences built from values, in each locale.
extension Localizer {
    func curvesAxis(revenue: Bool) -> String {
        revenue ? pick("Revenue retention", "売上維持率") : pick("Logo retention", "ロゴ継続率")
    }
    func backtestNote(months: Int) -> String {
        pick(
            "Cells not yet observable are projected from older cohorts at the same ages, adjusted for each young cohort's own months (shown with ≈ and dotted lines). The backtest reruns the projection as of \(months) months earlier and compares it with what was observed since.",
            "まだ観測できないセルは、同じ月齢の過去のコホートの実績を若いコホート自身の実績で補正して予測しています（≈ と点線で表示）。バックテストでは \(months) か月前の時点から予測し直し、その後の実績と比べています。"
        )
    }
    /// Why the backtest table is left out: it compared no cell, because it cut before the first
    /// signup month, or because no cell it projected has been observed since.
    func emptyBacktestLine(_ b: EmptyBacktest, _ f: ReportFormatter) -> String {
        let cutoff = f.month(b.cutoff)
        if b.beforeData {
            let first = b.firstCohort.map { f.month($0) }
            return pick(
                "No backtest yet: it would project from the end of \(cutoff), before the earliest signup month in the data"
                    + (first.map { " (\($0))" } ?? "") + ", so there is nothing to compare.",
                "バックテストはまだありません。予測し直す時点（\(cutoff)末）がデータの最初の契約開始月"
                    + (first.map { "（\($0)）" } ?? "") + "より前のため、比べるものがありません。")
        }
        return pick(
            "No backtest yet: no cell projected from the end of \(cutoff) has been observed since, so there is nothing to compare.",
            "バックテストはまだありません。\(cutoff)末の時点から予測したセルのうち、その後に観測されたものがないため、比べるものがありません。")
    }

    /// One alert as a sentence: "2024-11 (All channels) retained 80.0% at M1, below its predecessors' band (from 85.1%; they averaged 92.0%)."
    func driftSentence(_ a: DriftAlertRow, _ f: ReportFormatter) -> String {
        let who = "\(cohortLabel(a.cohort, f)) (\(channelName(a.channel)))"
        return pick(
            "\(who) retained \(f.percent(a.logo)) at \(offsetHeader(a.offset)), below its predecessors' band (from \(f.percent(a.bandLower)); they averaged \(f.percent(a.predecessorsRetention))).",
            "\(who) の \(offsetHeader(a.offset)) の継続率は \(f.percent(a.logo)) で、過去のコホートの範囲（\(f.percent(a.bandLower)) 以上、平均 \(f.percent(a.predecessorsRetention))）を下回りました。"
        )
    }
    func kpiMoveSentence(_ m: KPIMove, _ f: ReportFormatter) -> String {
        pick(
            "\(metricName(m.id)) moved from \(f.percent(m.before)) to \(f.percent(m.after)) since the run as of \(f.date(m.previousAsOf)).",
            "\(metricName(m.id)) は \(f.date(m.previousAsOf)) 時点の実行から \(f.percent(m.before)) → \(f.percent(m.after)) に変化しました。"
        )
    }
    /// "Scored as of 2024-06-30 (6 months back), the top 10% of 1,827 accounts churned 19.2% in the next 90 days against 5.1% for all (3.74×)."
    func atRiskBacktestLine(_ b: AtRiskBacktestRow, _ f: ReportFormatter) -> String {
        let lift = b.lift.map { f.decimal($0, digits: 2) + "×" } ?? ReportFormatter.missing
        return pick(
            "How far to trust the ranking: scored as of \(f.date(b.asOf)) (\(b.months) months back), the top \(f.integer(b.topDecile)) of \(f.integer(b.accounts)) accounts churned \(f.percent(b.topDecileRate)) in the next 90 days, against \(f.percent(b.baseRate)) for all (\(lift)).",
            "順位の信頼度: \(f.date(b.asOf)) 時点（\(b.months) か月前）で採点した上位 \(f.integer(b.topDecile)) 社（全 \(f.integer(b.accounts)) 社中）は、その後 90 日で \(f.percent(b.topDecileRate)) が解約しました。全体は \(f.percent(b.baseRate))（\(lift)）。"
        )
    }

    /// Title of one curves chart: logo or revenue retention, by signup month or by channel.
    func curvesTitle(revenue: Bool, byChannel: Bool) -> String {
        let what = curvesAxis(revenue: revenue)
        let by =
            byChannel
            ? pick("by acquisition channel", "獲得チャネル別") : pick("by signup month, all channels", "契約開始月別（全チャネル）")
        return locale == .en ? "\(what) \(by)" : "\(what)（\(by)）"
    }
}

/// Status words of the headline metrics, thresholds in the metric's unit, readable dimension names.
extension Localizer {
    /// The band of a headline metric in the words the field uses ("Healthy", "Above the 10% bar").
    public func kpiStatus(_ k: HeadlineKPI) -> String {
        switch k.thinBase {
        case .customers(let n):
            return pick(
                "Too few customers to judge (\(n) of at least \(MetricCatalog.minimumBandedCustomers))",
                "判定には顧客が少なすぎます（\(n) 人、\(MetricCatalog.minimumBandedCustomers) 人以上が必要）")
        case .months(let n):
            return pick(
                "Too few months to judge (\(n) of at least \(MetricCatalog.minimumBandedMonths))",
                "判定には月数が少なすぎます（\(n) か月、\(MetricCatalog.minimumBandedMonths) か月以上が必要）")
        case nil: break
        }
        guard k.band != .none else { return band(.none) }
        if let id = MetricCatalog.metric(k.id)?.band?.id, let words = bandStatus(id, k.band) { return words }
        return k.bandText.isEmpty ? band(k.band) : "\(band(k.band)) (\(k.bandText))"
    }

    /// A customer-success band's bars in words: ">= 90% strong, >= 80% fair".
    public func bandBars(_ id: MetricCatalog.BandID) -> String { self(Self.bandWords(id).bars) }

    /// What the field calls a value in `band` of the customer-success band `id` ("Healthy (≥ 100%)");
    /// nil for `.none`.
    public func bandStatus(_ id: MetricCatalog.BandID, _ band: KPIBand) -> String? {
        let words = Self.bandWords(id)
        switch band {
        case .good: return self(words.good)
        case .ok: return self(words.ok)
        case .bad: return self(words.bad)
        case .none: return nil
        }
    }

    /// The words of each customer-success band: its bars, and its names for good, ok and bad (the
    /// churn and activation bands quote one bar, so their ok and bad read alike).
    static func bandWords(_ id: MetricCatalog.BandID) -> (
        bars: ReportText, good: ReportText, ok: ReportText, bad: ReportText
    ) {
        switch id {
        case .nrr: return (.nrrBars, .nrrGood, .nrrOK, .nrrBad)
        case .grr: return (.grrBars, .grrGood, .grrOK, .grrBad)
        case .annualChurn: return (.annualChurnBars, .annualChurnWithin, .annualChurnAbove, .annualChurnAbove)
        case .monthlyChurn: return (.monthlyChurnBars, .monthlyChurnWithin, .monthlyChurnAbove, .monthlyChurnAbove)
        case .activation: return (.activationBars, .activationAt, .activationBelow, .activationBelow)
        }
    }

    /// A check's threshold in the metric's unit, exactly as configured: `≥ 90.0%`, `≤ 1.816%`, `≤ ¥1,000`.
    public func thresholdText(_ c: CheckResult, _ f: ReportFormatter) -> String {
        let parts = [c.min.map { "≥ " + f.exact($0, kind: c.kind) }, c.max.map { "≤ " + f.exact($0, kind: c.kind) }]
            .compactMap { $0 }
        return parts.isEmpty ? c.threshold : parts.joined(separator: pick(" and ", "かつ "))
    }

    /// A readable name for an attribution dimension: `acquisition_channel` → "acquisition channel".
    public func dimensionName(_ dimension: String) -> String {
        labels[dimension] ?? builtInName(.dimension, dimension) ?? dimension.replacingOccurrences(of: "_", with: " ")
    }

    /// A readable name for a dimension value: `report.labels` first, then the built-in values of
    /// the derived dimensions (touch tiers, activation) and the pipeline's buckets (`(other)`,
    /// `(unknown)`, ...); other values are shown as they are.
    public func valueName(_ value: String) -> String {
        labels[value] ?? builtInName(.value, value) ?? value
    }

    /// An exit-reason category or reason as the report shows it: the pipeline's buckets
    /// (`(unmapped)`, `(other)`, `(no reason given)`) in the report's language, any other text
    /// as written.
    public func reasonName(_ text: String) -> String {
        Label.reserved.contains(text) ? builtInName(.value, text) ?? text : text
    }

    /// Why the accounts at risk are missing when the Cox model they come from did not converge
    /// (or had nothing to fit).
    func atRiskWithoutModel(_ info: CoxModelInfo) -> String {
        info.nothingToFit != nil
            ? pick(
                "No accounts at risk: they are scored by the Cox model above, which had nothing to fit on this data.",
                "解約リスクの高い顧客はありません。スコアの元になる上の Cox モデルは、このデータでは当てはめるものがありませんでした。")
            : pick(
                "No accounts at risk: they are scored by the Cox model above, which did not converge on this data.",
                "解約リスクの高い顧客はありません。スコアの元になる上の Cox モデルがこのデータで収束しませんでした。")
    }

    /// Levels as "Plan: enterprise, Channel: partner" (localized names; a level without its
    /// dimension by its name alone).
    func levelsText(_ levels: [DimensionLevel]) -> String {
        levels.map { $0.dimension.isEmpty ? $0.level : "\(dimensionName($0.dimension)): \(valueName($0.level))" }
            .joined(separator: pick(", ", "、"))
    }

    /// The heading of a dimension's rows in the Cox chart: its name and the level its hazard
    /// ratios compare with.
    func coxGroupHeading(dimension: String, reference: String) -> String {
        pick(
            "\(dimensionName(dimension)) (vs \(valueName(reference)))",
            "\(dimensionName(dimension))（基準：\(valueName(reference))）")
    }

    /// Why the accounts of levels nobody has left are not in the table.
    func atRiskSetAsideLine(_ levels: [DimensionLevel]) -> String {
        pick(
            "Accounts in \(levelsText(levels)) are not scored: nobody there has churned yet, so the model has no risk to give them.",
            "\(levelsText(levels)) の顧客はスコアの対象外です。まだ誰も解約していないため、モデルはリスクを推定できません。")
    }

    /// The levels the Cox model was fitted without, and why.
    func coxSetAsideLine(_ info: CoxModelInfo, _ f: ReportFormatter) -> String {
        let customers = f.integer(info.setAsideCustomers)
        return pick(
            "Not in the model: \(levelsText(info.setAside)). Nobody there has churned, so their hazard ratio would be 0 and cannot be estimated; the model is fitted on the other customers (\(customers) set aside).",
            "モデルの対象外：\(levelsText(info.setAside))。まだ誰も解約していないためハザード比は 0 となり推定できません。それ以外の顧客でモデルを推定しました（対象外 \(customers) 社）。"
        )
    }

    func atRiskNote(shown: String, of total: String) -> String {
        pick(
            "The Cox model's probability that each active account churns in the next 90 days, given how long it has stayed, times its MRR at the as-of date. The largest expected losses per touch tier (\(shown) of \(total) active accounts); drivers are the account's traits with hazard ratios above 1.",
            "Cox モデルによる、各顧客が現在までの継続期間を踏まえて今後 90 日以内に解約する確率に、基準日時点の MRR を掛けたものです。タッチ区分ごとに予想損失の大きい顧客を示します（有効顧客 \(total) 社中 \(shown) 社）。要因はハザード比が 1 を超える顧客の属性です。"
        )
    }
    /// An account's drivers as "Plan: starter ×1.80; Activation: not_activated ×2.01", or a dash.
    func driversText(_ drivers: [AtRiskRecord.Driver], _ f: ReportFormatter) -> String {
        drivers.isEmpty
            ? ReportFormatter.missing
            : drivers.map {
                "\(dimensionName($0.dimension)): \(valueName($0.level)) ×\(f.decimal($0.hazardRatio, digits: 2))"
            }.joined(separator: "; ")
    }
    /// The rows of the accounts-at-risk table, shared by the HTML and Markdown reports.
    func atRiskCells(_ a: AtRiskRecord, _ f: ReportFormatter) -> [String] {
        [
            valueName(a.touchTier), a.customerID, f.money(a.mrrMinor), f.percent(a.churnProb90d),
            f.money(a.expectedMRRLoss90dMinor),
            f.decimal(a.relativeHazard, digits: 2), driversText(a.drivers, f),
        ]
    }
    var atRiskHeaders: [String] {
        [
            self(.touchTierHeader), self(.customerHeader), self(.mrrHeader), self(.churnProb90dHeader),
            self(.expectedLoss90dHeader), self(.relativeHazardHeader),
            self(.driversHeader),
        ]
    }

    /// A phase as "75.0% (3 / 4)", marked ▼ below `bar` when it has one; a dash when no one is
    /// eligible.
    func phaseCell(_ p: PhaseCount?, bar: Double? = nil, _ f: ReportFormatter) -> String {
        guard let p, let rate = p.rate else { return ReportFormatter.missing }
        let below = bar.map { rate < $0 } ?? false
        return "\(below ? "▼ " : "")\(f.percent(rate)) (\(f.integer(p.reached)) / \(f.integer(p.customers)))"
    }
    /// The rows of the success-phases table, shared by the HTML and Markdown reports.
    func phaseCells(_ r: PhaseRow, _ f: ReportFormatter) -> [String] {
        [
            r.cohort == "(all)" ? self(.allCohorts) : f.month(r.cohort), f.integer(r.customers),
            // Only onboarding has the field's 80% bar; adoption and expansion have no common one.
            phaseCell(r.activation, bar: SuccessPhases.bar, f),
            phaseCell(r.adoption, f), phaseCell(r.expansion, f),
        ]
    }
    var phaseHeaders: [String] {
        [self(.cohort), self(.customers), self(.activated), self(.adoptedHeader), self(.expandedHeader)]
    }
}
