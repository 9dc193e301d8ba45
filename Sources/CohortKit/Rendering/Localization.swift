/// The language a report is written in (`report.locale` in pipeline.json).
public enum ReportLocale: String, Equatable, Sendable, CaseIterable {
    case en, ja
}

/// Every fixed label, heading and sentence of the report, in each locale.
///
/// The switch in `pair` is exhaustive, so a new label cannot be added without both languages.
public enum ReportText: CaseIterable, Sendable {
    // Sections
    case contents, kpis, checks, movements, retention, logoRetention, revenueRetention, grossRevenueRetention, survival
    case attribution, segments, pairwise, cox, reasons, activation, impact, dataQuality, provenance
    // General
    case noData, asOf, metric, value, band, definition, dataTable, belowBarHidden, legend, allChannels
    case bandGood, bandOK, bandBad, bandNone
    // Customer-success bands (`Localizer.bandWords`): each band's bars in words, then its good, ok and bad
    case nrrBars, nrrGood, nrrOK, nrrBad, grrBars, grrGood, grrOK, grrBad
    case annualChurnBars, annualChurnWithin, annualChurnAbove, monthlyChurnBars, monthlyChurnWithin, monthlyChurnAbove
    case activationBars, activationAt, activationBelow
    case threshold, actual, result, passed, failed, checksSummaryPassed, checksSummaryFailed
    // Movements
    case month, mrrStart, new, expansion, contraction, churn, reactivation, mrrEnd, netChange, movementsAxis
    case movementsNote
    // Triangles
    case cohort, customers, weighted, channel, monthsSinceSignup, incompleteNote, weightedNote, heatmapScale
    // Survival
    case day, monthMark, survivalRate, lower95, upper95, atRisk, medianSurvival, churned, notReached
    case axisMonths, axisSurvival, ciBandNote, logRankNone, survivalNote
    // Attribution
    case dimension, segment, churnCI, yearChurn, churnedMRR12m, share, relativeRisk, pooledNote
    case logRankP, statistic, pValue, pHolm, segmentA, segmentB, attributionAxis
    // Cox
    case level, reference, hazardRatio, ci95, forestAxis, notConverged, coxNote
    // Reasons
    case category, reason, reasonsAxis, reasonMRR
    // Activation
    case activated, activationRate, activationNote, reasonsByChannel, noCustomers
    // Impact
    case monthlyChurn, overallMonthlyChurn, mrrKeptPerYear
    // Data quality
    case source, rowsRead, accepted, rejected, duplicates, topRejects, rows, exampleLine, orphans
    case zeroMRRSubscriptions
    // Provenance
    case file, bytes, sha256, configDigest, toolVersion, inputs, runAt
    // Charts
    case chartDesc, hatchedLegend
    // Retention curves, projections, drift alerts, accounts at risk, success phases
    case curvesNote, channelCurvesDesc, retentionCurves, incompleteCellsNote, windowOpenHeader, activationAbsentLegend,
        scrollHint
    case projectedLegend, backtestTitle, monthsAhead, allHorizons, cellsCompared, logoError, logoInside
    case revenueError, revenueInside, driftTitle, olderCohorts, weightedAverage, phasesNote, atRiskTitle
    case customerHeader, touchTierHeader, churnProb90dHeader, expectedLoss90dHeader, relativeHazardHeader
    case driversHeader, mrrHeader, phasesTitle, allCohorts, adoptedHeader, expandedHeader

    /// The English and Japanese text.
    public var pair: (en: String, ja: String) {
        switch self {
        case .contents: return ("Contents", "目次")
        case .kpis: return ("Headline metrics", "主要指標")
        case .checks: return ("Threshold checks", "しきい値チェック")
        case .movements: return ("MRR movements", "MRR の増減")
        case .retention: return ("Retention by signup month", "契約開始月別の継続率")
        case .logoRetention: return ("Logo retention (share of customers still active)", "ロゴ継続率（継続している顧客の割合）")
        case .revenueRetention: return ("Revenue retention (MRR relative to the first month)", "売上維持率（初月に対する MRR の比率）")
        case .grossRevenueRetention:
            return ("Gross revenue retention (MRR kept, expansion not counted)", "グロス売上維持率（増額を含めない MRR の維持率）")
        case .survival: return ("Survival by acquisition channel", "獲得チャネル別の生存曲線")
        case .attribution: return ("Churn attribution", "解約要因の分析")
        case .segments: return ("Churn by segment", "セグメント別の解約")
        case .pairwise: return ("Pairwise log-rank tests", "ペアごとのログランク検定")
        case .cox: return ("Cox proportional hazards", "Cox 比例ハザードモデル")
        case .reasons: return ("Exit reasons", "解約理由")
        case .activation: return ("Activation", "アクティベーション")
        case .impact: return ("Revenue impact", "売上への影響")
        case .dataQuality: return ("Data quality", "データ品質")
        case .provenance: return ("Provenance", "データの出所")
        case .noData: return ("No data.", "データがありません。")
        case .asOf: return ("As of", "基準日")
        case .metric: return ("Metric", "指標")
        case .value: return ("Value", "値")
        case .band: return ("Band", "評価")
        case .definition: return ("Definition", "定義")
        case .dataTable: return ("Data table", "データ表")
        case .belowBarHidden: return ("below the bar: ", "目安未満：")
        case .legend: return ("Legend", "凡例")
        case .allChannels: return ("All channels", "全チャネル")
        case .bandGood: return ("Good", "良好")
        case .bandOK: return ("Acceptable", "許容範囲")
        case .bandBad: return ("Below bar", "基準未達")
        case .bandNone: return ("—", "—")
        case .nrrBars: return (">= 120% high growth, >= 100% healthy", "120% 以上で高成長、100% 以上で健全")
        case .nrrGood: return ("High growth (≥ 120%)", "高成長（120% 以上）")
        case .nrrOK: return ("Healthy (≥ 100%)", "健全（100% 以上）")
        case .nrrBad: return ("Below 100%", "100% 未満")
        case .grrBars: return (">= 90% strong, >= 80% fair", "90% 以上で優良、80% 以上で標準")
        case .grrGood: return ("Strong (≥ 90%)", "優良（90% 以上）")
        case .grrOK: return ("Fair (≥ 80%)", "標準（80% 以上）")
        case .grrBad: return ("Below 80%", "80% 未満")
        case .annualChurnBars: return ("<= 10% before pushing expansion", "拡大投資の前に 10% 以下が目安")
        case .annualChurnWithin: return ("Within the 10% bar", "10% の目安以内")
        case .annualChurnAbove: return ("Above the 10% bar", "10% の目安超過")
        case .monthlyChurnBars: return ("<= 0.87% (10% a year)", "0.87% 以下 (年 10%)")
        case .monthlyChurnWithin: return ("Within 0.87% (10% a year)", "0.87% 以内（年 10%）")
        case .monthlyChurnAbove: return ("Above 0.87% (10% a year)", "0.87% 超（年 10%）")
        case .activationBars: return (">= 80% of new customers", "新規顧客の 80% 以上")
        case .activationAt: return ("At the 80% bar", "80% の目安を達成")
        case .activationBelow: return ("Below the 80% bar", "80% の目安未達")
        case .threshold: return ("Threshold", "しきい値")
        case .actual: return ("Actual", "実績")
        case .result: return ("Result", "結果")
        case .passed: return ("Passed", "合格")
        case .failed: return ("Failed", "不合格")
        case .checksSummaryPassed: return ("All configured checks passed.", "設定されたチェックはすべて合格しました。")
        case .checksSummaryFailed: return ("At least one configured check failed.", "不合格のチェックがあります。")
        case .month: return ("Month", "月")
        case .mrrStart: return ("MRR at start", "期首 MRR")
        case .new: return ("New", "新規")
        case .expansion: return ("Expansion", "増額")
        case .contraction: return ("Contraction", "減額")
        case .churn: return ("Churn", "解約")
        case .reactivation: return ("Reactivation", "再開")
        case .mrrEnd: return ("MRR at end", "期末 MRR")
        case .netChange: return ("Net change", "純増減")
        case .movementsAxis: return ("MRR change per month", "月ごとの MRR の増減")
        case .movementsNote:
            return (
                "Bars above zero add MRR (new, expansion, reactivation); bars below zero remove it (contraction, churn); the line marks the net change.",
                "ゼロより上の棒は MRR の増加（新規・増額・再開）、下の棒は減少（減額・解約）、折れ線は純増減です。"
            )
        case .cohort: return ("Signup month", "契約開始月")
        case .customers: return ("Customers", "顧客数")
        case .weighted: return ("Weighted (complete cells)", "加重平均（確定セルのみ）")
        case .channel: return ("Acquisition channel", "獲得チャネル")
        case .monthsSinceSignup: return ("Months since signup", "契約開始からの経過月数")
        case .incompleteNote:
            return (
                "Blank (hatched) cells are not yet observable at the as-of date; they are absent, not zero.",
                "空欄（斜線）のセルは基準日時点でまだ観測できない期間です。ゼロではありません。"
            )
        case .weightedNote:
            return (
                "The weighted row pools complete cells only, so young cohorts do not pull the average down.",
                "加重平均の行は確定したセルだけを合算しているため、開始直後のコホートが平均を押し下げることはありません。"
            )
        case .heatmapScale: return ("Colour scale", "色の目盛")
        case .day: return ("Day", "日数")
        case .monthMark: return ("Month", "経過月")
        case .survivalRate: return ("Survival", "生存率")
        case .lower95: return ("Lower {level}", "下限 ({level})")
        case .upper95: return ("Upper {level}", "上限 ({level})")
        case .atRisk: return ("At risk", "リスク集合")
        case .medianSurvival: return ("Median survival", "生存期間の中央値")
        case .churned: return ("Churned", "解約数")
        case .notReached: return ("not reached", "未到達")
        case .axisMonths: return ("Months since first subscription (1 month = 30.4 days)", "初回契約からの経過月数（1か月 = 30.4日）")
        case .axisSurvival: return ("Customers not yet churned (%)", "未解約の顧客の割合 (%)")
        case .ciBandNote:
            return (
                "Shaded bands: {level} confidence intervals (Greenwood, log-log).",
                "網掛け: {level}信頼区間（Greenwood 法、log-log 変換）。"
            )
        case .logRankNone:
            return ("Log-rank test: not applicable (fewer than two channels).", "ログランク検定：対象外（チャネルが2つ未満）。")
        case .survivalNote:
            return (
                "Kaplan-Meier estimate of the share of customers whose first stretch of activity has not ended.",
                "最初の継続利用期間が途切れていない顧客の割合の Kaplan-Meier 推定値です。"
            )
        case .dimension: return ("Dimension", "分析軸")
        case .segment: return ("Segment", "セグメント")
        case .yearChurn: return ("Churn within 1 year", "1年以内の解約確率")
        // Churn and contraction (docs/metrics.md#segments), as the Japanese says.
        case .churnedMRR12m: return ("Churned and contracted MRR, last 12 months", "直近12か月の解約・減額 MRR")
        case .share: return ("Share", "構成比")
        case .relativeRisk: return ("Relative risk", "相対リスク")
        case .pooledNote:
            return (
                "(other) pools values with too few customers to report alone.", "（その他）は単独で示すには顧客数が少ない値をまとめたものです。"
            )
        case .logRankP: return ("Log-rank p-value", "ログランク検定の p 値")
        case .statistic: return ("χ²", "χ²")
        case .pValue: return ("p", "p 値")
        case .pHolm: return ("p (Holm)", "p 値（Holm 補正）")
        case .segmentA: return ("Segment A", "セグメント A")
        case .segmentB: return ("Segment B", "セグメント B")
        case .attributionAxis:
            return ("Churn probability (%), with {level} confidence interval", "解約確率 (%)、{level}信頼区間付き")
        case .level: return ("Level", "水準")
        case .reference: return ("Reference", "基準")
        case .hazardRatio: return ("Hazard ratio", "ハザード比")
        case .churnCI: return ("{level} CI", "{level}信頼区間")
        // The Cox model's intervals are always at 95%.
        case .ci95: return ("95% CI", "95%信頼区間")
        case .forestAxis: return ("Hazard ratio (log scale; 1 = same as reference)", "ハザード比（対数目盛、1 = 基準と同じ）")
        case .notConverged: return ("The model did not converge:", "モデルは収束しませんでした：")
        case .coxNote:
            return (
                "A hazard ratio above 1 means customers churn sooner than the reference level, holding the other dimensions fixed.",
                "ハザード比が 1 を超える水準は、他の分析軸を揃えたうえで基準の水準より早く解約する傾向を示します。"
            )
        case .category: return ("Category", "カテゴリ")
        case .reason: return ("Reason", "理由")
        // Customers whose latest cancellation gives the reason, churned or not (reasons.jsonl).
        case .reasonsAxis: return ("Customers, by their latest cancellation", "顧客数（最新の解約申請の理由）")
        // The MRR of each customer's latest churn, whenever it was (no 12-month window).
        case .reasonMRR: return ("MRR at their latest churn", "直近の解約時の MRR")
        case .activated: return ("Activated", "アクティベート済み")
        case .activationRate: return ("Activation rate", "アクティベーション率")
        case .reasonsByChannel: return ("Reasons by acquisition channel", "獲得チャネル別の解約理由")
        case .noCustomers: return ("no customers", "顧客なし")
        case .activationNote:
            return (
                "The usual bar for onboarding completion is 80%. Customers whose activation window had not closed at the as-of date are left out of the rate and counted apart.",
                "オンボーディング完了率の一般的な目安は 80% 以上です。基準日時点で判定期間が終わっていない顧客は率に含めず、別に数えています。"
            )
        case .monthlyChurn: return ("Monthly churn", "月次解約率")
        case .overallMonthlyChurn: return ("Overall monthly churn", "全体の月次解約率")
        case .mrrKeptPerYear: return ("Revenue kept a year at the overall rate", "全体並みの解約率で年間に維持できる売上")
        case .source: return ("Source", "ソース")
        case .rowsRead: return ("Rows read", "読み込み行数")
        case .accepted: return ("Accepted", "採用")
        case .rejected: return ("Rejected", "除外")
        case .duplicates: return ("Duplicates merged", "重複（統合済み）")
        case .topRejects: return ("Top reject reasons", "主な除外理由")
        case .rows: return ("Rows", "行数")
        case .exampleLine: return ("Example line", "該当行の例")
        case .orphans: return ("Rows referring to customers missing from customers", "顧客マスタにない顧客を参照する行")
        case .zeroMRRSubscriptions:
            return (
                "Zero-MRR subscriptions (free plans, trials; not counted as active)",
                "MRR がゼロの契約（無料プラン・トライアル。有効顧客に数えない）"
            )
        case .file: return ("File", "ファイル")
        case .bytes: return ("Bytes", "バイト数")
        case .sha256: return ("SHA-256", "SHA-256")
        case .configDigest: return ("Config SHA-256", "設定ファイルの SHA-256")
        case .toolVersion: return ("Tool version", "ツールのバージョン")
        case .inputs: return ("Inputs", "入力ファイル")
        case .runAt: return ("Run at", "実行日時")
        case .chartDesc:
            return ("The same values are listed in the data table after the chart.", "同じ値をグラフの後のデータ表に示しています。")
        case .hatchedLegend: return ("not yet observable", "未観測")
        case .channelCurvesDesc:
            return (
                "One line per acquisition channel by months since signup: the weighted average of its complete cells; the bold line is all channels. A line stops where its cells are not yet observable.",
                "獲得チャネルごとに、契約開始からの経過月数別の確定セルの加重平均を 1 本の線で示します。太線は全チャネルです。まだ観測できない月で線は止まります。"
            )
        case .curvesNote:
            return (
                "Each line follows one group by months since signup; a line stops where its cells are not yet observable. The bold line is the weighted average of complete cells; faint lines are older cohorts.",
                "各線は契約開始からの経過月数ごとの継続率です。まだ観測できない月で線は止まります。太線は確定セルの加重平均、薄い線は古いコホートです。"
            )
        case .retentionCurves: return ("Retention curves", "継続率の推移")
        // The Markdown's note on absent cells (no reference to the HTML's hatching).
        case .incompleteCellsNote:
            return (
                "Cells not yet observable at the as-of date are blank, or show a projection marked ≈; they are never zero.",
                "基準日時点でまだ観測できないセルは空欄か、≈ 付きの予測値です。ゼロではありません。"
            )
        case .windowOpenHeader: return ("Window still open", "判定期間中")
        case .activationAbsentLegend: return ("no customer with a closed window yet", "判定期間を終えた顧客なし")
        case .scrollHint: return ("Scroll sideways to see every column →", "横にスクロールするとすべての列を表示できます →")
        case .projectedLegend: return ("projected", "予測")
        case .backtestTitle: return ("How far to trust the projections", "予測の信頼度")
        case .monthsAhead: return ("Months ahead", "何か月先")
        case .allHorizons: return ("All", "全体")
        case .cellsCompared: return ("Cells", "セル数")
        case .logoError: return ("Logo: mean error (points)", "ロゴ: 平均誤差（ポイント）")
        case .logoInside: return ("Logo: inside interval", "ロゴ: 区間内")
        case .revenueError: return ("Revenue: mean error (points)", "売上: 平均誤差（ポイント）")
        case .revenueInside: return ("Revenue: inside interval", "売上: 区間内")
        case .driftTitle: return ("Drift alerts", "異常検知アラート")
        case .olderCohorts: return ("older cohorts", "それ以前のコホート")
        case .weightedAverage: return ("weighted average", "加重平均")
        case .phasesNote:
            return (
                "Share of each cohort that activated (key event within the activation window), adopted (key event in enough of its first three months) and expanded (MRR above its initial MRR within 12 months), each among the customers who have had the full time. Onboarding completion has the usual bar of 80%: activation rates below it are marked ▼.",
                "各コホートのうち、アクティベート（期間内にキーイベント）、定着（最初の3か月のうち所定の月数でキーイベント）、拡大（12か月以内に初回 MRR を上回る）に至った顧客の割合です。それぞれ十分な期間を経た顧客だけを数えます。オンボーディング完了の目安は 80% で、これを下回るアクティベート率に ▼ を付けています。"
            )
        case .atRiskTitle: return ("Accounts at risk", "解約リスクの高い顧客")
        case .customerHeader: return ("Customer", "顧客")
        case .touchTierHeader: return ("Touch tier", "タッチ区分")
        case .churnProb90dHeader: return ("Churn in 90 days", "90日以内の解約確率")
        case .expectedLoss90dHeader: return ("Expected MRR loss in 90 days", "90日間の予想 MRR 損失")
        case .relativeHazardHeader: return ("Relative hazard", "相対ハザード")
        case .driversHeader: return ("Drivers", "要因")
        case .mrrHeader: return ("MRR", "MRR")
        case .phasesTitle: return ("Success phases", "カスタマーサクセスの各段階")
        case .allCohorts: return ("All cohorts", "全コホート")
        case .adoptedHeader: return ("Adopted", "定着")
        case .expandedHeader: return ("Expanded", "拡大")
        }
    }
}

/// Looks up report text in one locale, including headline metric names and definitions.
public struct Localizer: Sendable {
    public let locale: ReportLocale
    /// Display labels for dimension names and values (`report.labels`), over the built-in ones.
    public var labels: [String: String]

    /// Level of the survival and segment intervals (`cohort.confidence`), which texts naming it
    /// show (`{level}` in their spelling: "95%", "97.5%").
    public var confidence: Double

    /// Whether a cohort is the month of the customer's signup date (`cohort_basis: signup_date`)
    /// rather than of their first subscription's start (the default): the texts that name a
    /// cohort's month say which (`cohortTerms`).
    public var cohortsBySignup: Bool

    public init(
        locale: ReportLocale, labels: [String: String] = [:], confidence: Double = 0.95, cohortsBySignup: Bool = false
    ) {
        self.locale = locale
        self.labels = labels
        self.confidence = confidence
        self.cohortsBySignup = cohortsBySignup
    }

    public func callAsFunction(_ text: ReportText) -> String {
        let s = cohortTerms(locale == .en ? text.pair.en : text.pair.ja)
        return s.contains("{level}") ? s.replacingOccurrences(of: "{level}", with: confidenceText) : s
    }

    /// `s` naming a cohort's month as the cohort basis has it. The texts are written with the
    /// English "signup month" and "months since signup" and the Japanese 契約開始月 (the month a
    /// customer's first subscription starts); the English ones become "first subscription
    /// month" under the default basis, the Japanese ones 登録月 under `signup_date`.
    func cohortTerms(_ s: String) -> String {
        if locale == .en {
            guard !cohortsBySignup, s.contains("ignup") else { return s }
            return s.replacingOccurrences(of: "Signup month", with: "First subscription month")
                .replacingOccurrences(of: "signup month", with: "first subscription month")
                .replacingOccurrences(of: "Months since signup", with: "Months since first subscription")
                .replacingOccurrences(of: "months since signup", with: "months since first subscription")
        }
        guard cohortsBySignup, s.contains("契約開始") else { return s }
        return s.replacingOccurrences(of: "契約開始", with: "登録")
    }

    /// `confidence` as a percentage, exactly as configured up to three decimals ("95%", "97.5%",
    /// "91.25%"), trailing zeros dropped.
    var confidenceText: String {
        var text = ReportFormatter(locale: .en, currency: "", minorUnits: 0).decimal(confidence * 100, digits: 3)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "%"
    }

    /// The English or the Japanese text, by the locale.
    func pick(_ en: String, _ ja: String) -> String { cohortTerms(locale == .en ? en : ja) }

    /// Sentences run together as the language writes them: a space after each full stop in
    /// English, none after "。" in Japanese. Empty parts are left out.
    public func sentences(_ parts: [String]) -> String {
        parts.filter { !$0.isEmpty }.joined(separator: locale == .en ? " " : "")
    }

    public func sentences(_ parts: String...) -> String { sentences(parts) }

    /// What ends a phrase before the next one: ". " in English, "。" in Japanese.
    public var fullStop: String { pick(". ", "。") }

    /// What joins a label to its value: ": " in English, "：" in Japanese.
    public var colon: String { pick(": ", "：") }

    /// Display name of a channel or dimension value; `(all)` becomes "All channels".
    public func channelName(_ channel: String) -> String {
        channel == "(all)" ? self(.allChannels) : valueName(channel)
    }

    /// Label of a band, as text so that colour is never the only signal.
    public func band(_ band: KPIBand) -> String {
        switch band {
        case .good: return self(.bandGood)
        case .ok: return self(.bandOK)
        case .bad: return self(.bandBad)
        case .none: return self(.bandNone)
        }
    }

    /// The headline table's metric ids as the report shows them (`MetricCatalog.headline`), in its order.
    public static var knownMetricIDs: [String] { MetricCatalog.headline.map(\.reportID) }

    /// Name of a metric, by its `MetricCatalog` id or its report id; an unknown id is shown as it is.
    public func metricName(_ id: String) -> String {
        metricNames(MetricCatalog.metric(id)?.id ?? id) ?? id
    }

    /// Name of a catalog metric by its `MetricCatalog.Metric.id`; nil for any other id.
    func metricNames(_ id: String) -> String? { builtInName(.metric, id) }

    /// What a built-in name names.
    enum NameKind: Sendable {
        /// An attribution dimension (`acquisition_channel`).
        case dimension
        /// A value of a derived dimension: the touch tiers, activated or not.
        case value
        /// A catalog metric, by `MetricCatalog.Metric.id`.
        case metric
    }

    /// The report's own names for built-in ids, in English and Japanese, with what each id names:
    /// what `dimensionName`, `valueName` and `metricName` show (for dimensions and values, unless
    /// `report.labels` names the id). No id names two things.
    static let builtInNames: [String: (kind: NameKind, name: (en: String, ja: String))] = [
        "acquisition_channel": (.dimension, ("acquisition channel", "獲得チャネル")),
        "plan": (.dimension, ("plan", "プラン")),
        "sales_rep": (.dimension, ("sales rep", "営業担当")),
        "region": (.dimension, ("region", "地域")),
        "industry": (.dimension, ("industry", "業種")),
        "touch_tier": (.dimension, ("touch tier", "タッチ区分")),
        "activation": (.dimension, ("activation", "アクティベーション")),
        "high_touch": (.value, ("high touch", "ハイタッチ")),
        "low_touch": (.value, ("low touch", "ロータッチ")),
        "tech_touch": (.value, ("tech touch", "テックタッチ")),
        "activated": (.value, ("activated", "アクティベート済み")),
        "not_activated": (.value, ("not activated", "未アクティベート")),
        // The buckets the pipeline makes (`Label.reserved`; `(all)` and `(weighted)` have words of
        // their own): English keeps their names, Japanese puts its own in full-width brackets.
        "(other)": (.value, ("(other)", "（その他）")),
        "(unknown)": (.value, ("(unknown)", "（不明）")),
        "(unmapped)": (.value, ("(unmapped)", "（未分類）")),
        "(no reason given)": (.value, ("(no reason given)", "（理由の記載なし）")),
        "nrr_trailing_12m": (.metric, ("Net revenue retention (NRR), trailing 12 months", "ネット売上維持率（NRR）、直近12か月")),
        "grr_trailing_12m": (.metric, ("Gross revenue retention (GRR), trailing 12 months", "グロス売上維持率（GRR）、直近12か月")),
        "logo_churn_annual": (.metric, ("Annual logo churn", "年間ロゴ解約率")),
        "logo_churn_monthly": (.metric, ("Monthly logo churn", "月次ロゴ解約率")),
        "ltv_churn_minor": (.metric, ("LTV (ARPA ÷ monthly churn)", "LTV（ARPA ÷ 月次解約率）")),
        "ltv_survival_minor": (.metric, ("LTV (ARPA × restricted mean lifetime)", "LTV（ARPA × 制限付き平均継続期間）")),
        "arpa_minor": (.metric, ("ARPA (average MRR per active customer)", "ARPA（有効顧客1社あたりの平均 MRR）")),
        "upsell_rate_trailing_12m": (.metric, ("Upsell rate, trailing 12 months", "アップセル率、直近12か月")),
        "cross_sell_rate_trailing_12m": (.metric, ("Cross-sell rate, trailing 12 months", "クロスセル率、直近12か月")),
        "activation_rate": (.metric, ReportText.activationRate.pair),
        "mrr_minor": (.metric, ("MRR at the as-of date", "基準日時点の MRR")),
        "active_customers": (.metric, ("Active customers", "有効顧客数")),
        "drift_alerts": (.metric, ReportText.driftTitle.pair),
        "projected_nrr_12m": (.metric, ("Projected NRR, next 12 months", "予測 NRR、今後12か月")),
        "projected_logo_churn_12m": (.metric, ("Projected logo churn, next 12 months", "予測ロゴ解約率、今後12か月")),
    ]

    /// The built-in name of `id` as a `kind`, in the report's locale; nil when there is none.
    func builtInName(_ kind: NameKind, _ id: String) -> String? {
        guard let builtIn = Self.builtInNames[id], builtIn.kind == kind else { return nil }
        return pick(builtIn.name.en, builtIn.name.ja)
    }

    /// One-line definition for a definition key (the metric ids above); nil when unknown.
    public func definition(_ key: String) -> String? {
        switch key {
        case "projected_nrr_12m":
            return pick(
                "Where today's MRR is headed: each cohort's MRR carried 12 months through the older cohorts' month-to-month revenue retention at the same ages. A projection, not a measurement: see the backtest.",
                "現在の MRR の見通し。各コホートの MRR を、同じ月齢の過去のコホートの月次売上維持率で 12 か月先まで延ばしたもの。実測ではなく予測です（バックテスト参照）。")
        case "projected_logo_churn_12m":
            return pick(
                "Share of today's paying customers expected to have left in 12 months, from the older cohorts' month-to-month retention at the same ages. A projection: see the backtest.",
                "現在課金中の顧客のうち 12 か月後までに解約すると見込まれる割合。同じ月齢の過去のコホートの月次継続率から。予測です（バックテスト参照）。")
        case "nrr_trailing_12m":
            return pick(
                "MRR now from customers paying 12 months ago, divided by their MRR then. Above 100% is the bar; above 120% marks high growth.",
                "12か月前に課金していた顧客の現在の MRR ÷ 当時の MRR。100% 超が目安、120% 超は高成長の水準です。")
        case "grr_trailing_12m":
            return pick(
                "Like NRR, but each customer counts at most their MRR of 12 months ago, so only churn and downgrades show.",
                "NRR と同じですが、各顧客の MRR を12か月前の値で頭打ちにするため、解約と減額だけが反映されます。")
        case "logo_churn_annual":
            return pick(
                "1 − (1 − monthly logo churn)^12, from the mean monthly rate of the last 12 months. The usual bar is 10% or less.",
                "1 −（1 − 月次ロゴ解約率）^12。直近12か月の月次解約率の平均から算出。一般的な目安は 10% 以下です。")
        case "logo_churn_monthly":
            return pick(
                "Share of customers paying at one month-end who are no longer active at the next, averaged over the last 12 months.",
                "ある月末に課金していた顧客のうち、翌月末に有効でない顧客の割合（直近12か月の平均）。")
        case "ltv_churn":
            return pick(
                "Average MRR per active customer divided by the monthly logo churn rate. It assumes today's churn rate holds for ever, so it overstates lifetime value when churn is front-loaded; quote the survival-based LTV.",
                "有効顧客1社あたりの平均 MRR ÷ 月次ロゴ解約率。現在の解約率が永久に続くと仮定するため、初期の解約が多いと過大になります。引用には生存曲線に基づく LTV を使ってください。")
        case "ltv_survival":
            return pick(
                "Average MRR per active customer times the area under the survival curve up to the longest observed month. The one to quote: it follows the observed curve, early churn included, and counts no lifetime beyond the data, so it errs low.",
                "有効顧客1社あたりの平均 MRR × 観測できた最長月までの生存曲線の下の面積。引用にはこちらを使います。初期の解約を含む実測の曲線に従い、データ以上の継続期間を数えないため、控えめな値になります。")
        case "arpa":
            return pick("MRR at the as-of date divided by the customers active then.", "基準日時点の MRR ÷ 同時点の有効顧客数。")
        case "upsell_rate":
            return pick(
                "Share of customers paying 12 months ago whose MRR on the products they held then has grown.",
                "12か月前に課金していた顧客のうち、当時保有していた製品の MRR が増えた顧客の割合。")
        case "cross_sell_rate":
            return pick(
                "Share of customers paying 12 months ago who now hold a product they did not hold then.",
                "12か月前に課金していた顧客のうち、当時保有していなかった製品を現在保有している顧客の割合。")
        case "activation_rate":
            return pick(
                "Share of new customers who reach the key event within the configured number of days. The usual bar is 80%.",
                "新規顧客のうち、設定された日数以内に主要イベントに到達した割合。一般的な目安は 80% 以上です。")
        case "mrr":
            return pick(
                "Sum of monthly recurring revenue of the subscriptions active on the as-of date.",
                "基準日に有効な契約の月次経常収益 (MRR) の合計。")
        case "active_customers":
            return pick("Customers with MRR above zero on the as-of date.", "基準日時点で MRR がゼロより大きい顧客の数。")
        default: return nil
        }
    }

    /// Column header for a month offset: en `M3`, ja `3か月`.
    public func offsetHeader(_ k: Int) -> String { pick("M\(k)", "\(k)か月") }

    /// Cohort label: a month, or the weighted row's name.
    public func cohortLabel(_ cohort: String, _ format: ReportFormatter) -> String {
        cohort == TriangleRow.weightedCohort ? self(.weighted) : format.month(cohort)
    }

    /// The log-rank line: `Log-rank test: χ² = 3.21, df = 2, p = 0.201`.
    public func logRankLine(_ result: LogRankSummary?, _ format: ReportFormatter) -> String {
        guard let result, let stat = result.statistic, result.df > 0 else { return self(.logRankNone) }
        let s = format.decimal(stat, digits: 2)
        let pv = format.pValue(result.p)
        // "p < 0.001", never "p = < 0.001".
        let p = pv.hasPrefix("<") ? "p \(pv)" : "p = \(pv)"
        return pick(
            "Log-rank test across channels: χ² = \(s), df = \(result.df), \(p).",
            "チャネル間のログランク検定: χ² = \(s)、自由度 \(result.df)、\(p)。")
    }

    /// The Cox model summary line: "1 customer, 0 churn events, concordance —."
    public func coxModelLine(_ info: CoxModelInfo, _ format: ReportFormatter) -> String {
        let c = format.decimal(info.concordance, digits: 3)
        let customers = format.integer(info.n) + (info.n == 1 ? " customer" : " customers")
        let events = format.integer(info.events) + (info.events == 1 ? " churn event" : " churn events")
        return pick(
            "\(customers), \(events), concordance \(c).",
            "対象 \(format.integer(info.n)) 社、解約 \(format.integer(info.events)) 社、C 統計量 \(c)。")
    }

    /// Column header for the early-churn probability.
    public func earlyChurnHeader(_ days: Int) -> String {
        pick("Churn within \(days) days", "\(days)日以内の解約確率")
    }

    /// The sentence on what one point of monthly churn is worth.
    public func oneChurnPointLine(_ money: String) -> String {
        pick(
            "One percentage point of monthly churn is worth \(money) of revenue a year.",
            "月次解約率 1 ポイントは、年間 \(money) の売上に相当します。")
    }

    /// Under the revenue impact table: its monthly churn is not the headline's.
    public var impactChurnNote: String {
        pick(
            "Monthly churn here is pooled over the customer-months of the last 12 months (customers lost over customers at risk, all months together), so it can differ from the headline's monthly logo churn, the mean of the 12 monthly rates.",
            "ここでの月次解約率は直近 12 か月の顧客・月を通算したもの（全月の離脱数 ÷ 全月の対象顧客数）で、12 か月の月次解約率の平均である冒頭の月次ロゴ解約率とは異なることがあります。"
        )
    }

    /// The footer sentence: the only wall-clock time in the report when there is one, else the
    /// as_of and the last date in the data, written as the header writes dates.
    public func footer(_ p: Provenance, _ format: ReportFormatter) -> String {
        let tool = "cohort-pipeline \(p.toolVersion)"
        if let runAt = p.runTimestamp { return pick("Generated \(runAt) by \(tool).", "\(runAt) に \(tool) で生成。") }
        return pick(
            "Generated for as_of \(p.asOf)" + (p.dataThrough.map { " (data through \($0))" } ?? "") + " by \(tool).",
            "基準日 \(format.date(p.asOf))" + (p.dataThrough.map { "・データ最終日 \(format.date($0))" } ?? "")
                + "の時点で \(tool) により生成。")
    }

    /// The line under the as-of line: first and last date seen per source ("" when none), each
    /// source named as the data-quality tables name it.
    public func coverageLine(_ entries: [(source: String, first: String, last: String)]) -> String {
        guard !entries.isEmpty else { return "" }
        // The Japanese name closes with a full-width bracket: no space after it.
        let list = entries.map { pick("\($0.source) ", sourceName($0.source)) + "\($0.first) – \($0.last)" }
        return pick("Data covers \(list.joined(separator: "; "))", "データの期間 — \(list.joined(separator: "、"))")
    }

    /// The heading over the run's warnings in the data-quality section.
    public var warningsHeading: String { pick("Warnings", "警告") }

    /// The as-of line under the title.
    public func asOfLine(_ date: String, currency: String) -> String {
        pick("As of \(date) · amounts in \(currency)", "基準日 \(date)・金額の単位：\(currency)")
    }

    /// The note under retention and survival when channels are pooled (`report.max_channels`).
    public func pooledChannelsLine(_ pooled: Int, shown: Int, _ format: ReportFormatter) -> String {
        pick(
            "The \(format.integer(shown)) channels with the most customers are shown one by one; the other \(format.integer(pooled)) are shown together as (other). Every channel is in triangle.jsonl and survival.jsonl.",
            "顧客数の多い \(format.integer(shown)) チャネルを個別に示し、残りの \(format.integer(pooled)) チャネルは（その他）にまとめています。全チャネルは triangle.jsonl と survival.jsonl にあります。"
        )
    }

    /// The note under cohort tables limited to the latest signup months (`report.max_months`):
    /// where the earlier ones are, and (for triangles) that the weighted row still pools them all.
    public func limitedCohortsLine(
        _ model: ReportModel, files: String, weightedRow: Bool, _ format: ReportFormatter
    ) -> String {
        let shown = format.integer(model.maxMonths)
        let hidden = format.integer(model.hiddenCohorts)
        let from = format.month(model.firstShownCohort)
        return pick(
            "The \(shown) latest signup months are shown, from \(from); \(Self.earlier(model.hiddenCohorts, hidden)) in \(files)."
                + (weightedRow ? " The weighted row pools the complete cells of every signup month." : ""),
            "直近 \(shown) か月の契約開始月（\(from) から）を示しています。それ以前の \(hidden) か月分は \(files) にあります。"
                + (weightedRow ? "加重平均の行はすべての契約開始月の確定セルをまとめたものです。" : ""))
    }

    /// The note under triangles and curve tables whose columns step by twelve months after
    /// `ShownOffsets.monthly`.
    public func steppedOffsetsLine(files: String, _ format: ReportFormatter) -> String {
        let monthly = format.integer(ShownOffsets.monthly)
        return pick(
            "After month \(monthly) the columns are every twelfth month and the last month; every month is in \(files).",
            "\(monthly)か月目より後の列は12か月ごとと最後の月です。すべての月は \(files) にあります。")
    }

    /// "the one before it is" or "the 204 before them are" (`text` is `count` formatted).
    private static func earlier(_ count: Int, _ text: String) -> String {
        count == 1 ? "the one before it is" : "the \(text) before them are"
    }

    /// The note under the MRR movements when the earliest months are left out (`report.max_months`).
    public func limitedMovementsLine(_ model: ReportModel, _ format: ReportFormatter) -> String {
        let shown = format.integer(model.movements.count)
        let hidden = format.integer(model.hiddenMovementMonths)
        let from = model.movements.first.map { format.month($0.month) } ?? ""
        return pick(
            "The \(shown) latest months are shown, from \(from); \(Self.earlier(model.hiddenMovementMonths, hidden)) in movements.jsonl.",
            "直近 \(shown) か月（\(from) から）を示しています。それ以前の \(hidden) か月分は movements.jsonl にあります。")
    }

    /// The note under the exit reasons by channel when some are summed into `(other)`
    /// (`ReportModel.limitReasons`).
    public func hiddenReasonsLine(_ hidden: Int, shown: Int, _ format: ReportFormatter) -> String {
        pick(
            "Per channel and category, "
                + (shown == 1
                    ? "the reason with the most customers is listed"
                    : "the \(format.integer(shown)) reasons with the most customers are listed")
                + " and the others are summed as (other), \(format.integer(hidden)) reasons in all; every reason is in reasons.jsonl.",
            "チャネルとカテゴリごとに顧客数の多い \(format.integer(shown)) 件の理由を示し、残りは（その他）にまとめています（計 \(format.integer(hidden)) 件）。すべての理由は reasons.jsonl にあります。"
        )
    }

    /// The note under a table that leaves out the rows of dimension values not shown.
    public func hiddenRowsLine(_ hidden: Int, file: String, _ format: ReportFormatter) -> String {
        pick(
            "Only the values shown under Churn by segment are listed; "
                + (hidden == 1 ? "1 more row is" : "\(format.integer(hidden)) more rows are") + " in \(file).",
            "「セグメント別の解約」に示した値だけを載せています。残りの \(format.integer(hidden)) 行は \(file) にあります。")
    }

    /// The note under a dimension's segments when some of its values are left out of the report.
    public func omittedValuesLine(_ omitted: Int, shown: Int, _ format: ReportFormatter) -> String {
        pick(
            "The \(format.integer(shown)) values with the most customers are shown; \(format.integer(omitted)) more are in segments.jsonl.",
            "顧客数の多い \(format.integer(shown)) 件を示しています。残りの \(format.integer(omitted)) 件は segments.jsonl にあります。")
    }

    /// Customers and median survival of a curve, for legends and tables.
    public func curveSummary(_ curve: SurvivalCurve, _ format: ReportFormatter) -> String {
        let median = curve.medianDays.map { format.days($0) } ?? self(.notReached)
        return pick(
            "n = \(format.integer(curve.customers)), churned \(format.integer(curve.churned)), median \(median)",
            "顧客 \(format.integer(curve.customers)) 社、解約 \(format.integer(curve.churned)) 社、中央値 \(median)")
    }
}
