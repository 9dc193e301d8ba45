/// Renders `summary.md`: a short GitHub-flavoured Markdown digest for a pull-request comment or a
/// CI job summary — warnings that change how the numbers read, headline metrics against the
/// customer-success bars, the checks, what matters most, and the latest complete cohorts — with
/// the path of the full report.
///
/// Its size is bounded whatever the data: a fixed number of rows per table, at most five
/// sentences, and every label cut to `maxLabel` characters, so it stays far under GitHub's
/// 65,536-character comment limit (a 3,000-channel project gives the same few kilobytes).
/// Every sentence is computed from the model; none is free text.
public enum SummaryMarkdown {
    /// Longest label (title, channel, dimension value) written before it is cut with "…".
    static let maxLabel = 60
    /// Cohorts listed in the latest-cohorts table.
    static let cohortRows = 6
    /// Checks listed before "and N more".
    static let maxChecks = 20
    /// Offsets shown for the latest cohorts.
    static let offsets = [1, 3, 6, 12]

    /// - Parameter fullReport: paths of the full reports, as the reader should open them.
    public static func render(_ model: ReportModel, fullReport: [String]) -> String {
        var r = SummaryRenderer(model: model, t: model.localizer, f: model.formatter)
        return r.render(fullReport: fullReport)
    }

    /// `text` cut to at most `limit` characters, ending in "…" when cut.
    static func cut(_ text: String, _ limit: Int = maxLabel) -> String {
        var out = ""
        var n = 0
        for ch in text {
            if n == limit - 1 { return out + "…" }
            out.append(ch)
            n += 1
        }
        return out
    }
}

private struct SummaryRenderer {
    let model: ReportModel
    let t: Localizer
    let f: ReportFormatter
    var out = ""

    func esc(_ s: String) -> String { Escaping.markdown(SummaryMarkdown.cut(s)) }
    func either(_ en: String, _ ja: String) -> String { t.pick(en, ja) }
    mutating func line(_ s: String) { out += s + "\n" }

    mutating func table(_ headers: [String], rightAligned: Set<Int>, _ rows: [[String]]) {
        out += markdownTableLines(headers.map(esc), rightAligned: rightAligned.contains, rows.map { $0.map(esc) })
        line("")
    }

    mutating func render(fullReport: [String]) -> String {
        line("# " + esc(model.title))
        line("")
        line(esc(t.asOfLine(f.date(model.asOf), currency: model.reportCurrency)))
        line("")
        warnings()
        drift()
        headline()
        checks()
        whatMatters()
        latestCohorts()
        if !fullReport.isEmpty {
            line(
                either("Full report: ", "詳細レポート: ")
                    + fullReport.map {
                        "`" + SummaryMarkdown.cut($0, 200).replacingOccurrences(of: "`", with: "'") + "`"
                    }.joined(separator: either(" and ", "、")))
        }
        return out
    }

    /// Warnings that change how every number below reads (an as_of outside the data, sources
    /// changed since ingest, no subscriptions, subscriptions that may have lost their churn, more
    /// than 1% of a source's rows rejected) in full, before the numbers; the other data-quality warnings counted,
    /// as the full report lists them.
    mutating func warnings() {
        let all = model.dataQuality?.warnings ?? []
        let first = all.filter {
            switch $0.kind {
            case .staleAsOf?, .asOfBeforeData?, .sourcesChanged?, .noSubscriptions?, .zeroMRRWithAmount?: return true
            default: return false
            }
        }
        // Sources with more than 1% of their rows rejected (the default reject limit, so it was
        // raised): every number below leaves those rows out.
        let rejecting = (model.dataQuality?.sources ?? []).filter { $0.read > 0 && $0.rejected * 100 > $0.read }
        let rejected = rejecting.map { s in
            let share = f.percent(Double(s.rejected) / Double(s.read))
            return either(
                "\(t.sourceName(s.source)): \(f.integer(s.rejected)) of \(f.integer(s.read)) rows were rejected (\(share)), and every number here leaves them out; the full report's data quality section gives the reasons.",
                "\(t.sourceName(s.source)): \(f.integer(s.read)) 行のうち \(f.integer(s.rejected)) 行（\(share)）を除外しました。ここの数値にはすべて含まれていません。理由は詳細レポートのデータ品質の節にあります。"
            )
        }
        let others = all.count - first.count
        guard !all.isEmpty || !rejected.isEmpty else { return }
        let more = first.isEmpty ? "" : either("more ", "ほかに")
        let count = Escaping.markdown(
            either(
                others == 1
                    ? "1 \(more)data-quality warning is in the full report."
                    : "\(f.integer(others)) \(more)data-quality warnings are in the full report.",
                "\(more)データ品質の警告が \(f.integer(others)) 件あります（詳細レポートを参照）。"))
        // Only the others: a sentence, not an alarm.
        guard !first.isEmpty || !rejected.isEmpty else {
            line(count)
            line("")
            return
        }
        line("## ⚠️ " + esc(either("Read with care", "注意")))
        line("")
        for w in first { line("- " + Escaping.markdown(SummaryMarkdown.cut(t.warning(w, f), 600))) }
        for text in rejected { line("- " + Escaping.markdown(SummaryMarkdown.cut(text, 600))) }
        if others > 0 { line("- " + count) }
        line("")
    }

    /// Drift alerts first: they are what changed since the last run.
    mutating func drift() {
        guard !model.driftAlerts.isEmpty || !model.kpiMoves.isEmpty else { return }
        line("## ⚠️ " + esc(t(.driftTitle)))
        line("")
        for m in model.kpiMoves { line("- " + Escaping.markdown(t.kpiMoveSentence(m, f))) }
        for a in model.driftAlerts.prefix(SummaryMarkdown.maxChecks) {
            line("- " + Escaping.markdown(SummaryMarkdown.cut(t.driftSentence(a, f), 300)))
        }
        if model.driftAlerts.count > SummaryMarkdown.maxChecks {
            line(
                "- "
                    + esc(
                        either(
                            "… and \(model.driftAlerts.count - SummaryMarkdown.maxChecks) more in the full report.",
                            "… ほか \(model.driftAlerts.count - SummaryMarkdown.maxChecks) 件は詳細レポートにあります。")))
        }
        line("")
    }

    mutating func headline() {
        let kpis = MetricCatalog.summaryHeadline.compactMap { id in model.kpis.first { $0.id == id } }
        guard !kpis.isEmpty else { return }
        line("## " + esc(t(.kpis)))
        line("")
        table(
            [t(.metric), t(.value), t(.band)], rightAligned: [1],
            kpis.map { k in
                let mark = k.band.mark(markdown: true)
                let status = k.band == .none && k.thinBase == nil ? "" : mark + t.kpiStatus(k)
                return [t.metricName(k.id), f.value(k.value, kind: k.kind, bars: k.bars), status]
            })
    }

    mutating func checks() {
        guard !model.checks.isEmpty else { return }
        line("## " + esc(t(.checks)))
        line("")
        let shown = model.checks.prefix(SummaryMarkdown.maxChecks)
        table(
            [t(.metric), t(.threshold), t(.actual), t(.result)], rightAligned: [2],
            shown.map { c in
                [
                    t.metricName(c.metric), t.thresholdText(c, f),
                    f.value(c.actual, kind: c.kind, bars: c.bars),
                    c.passed ? "✅ " + t(.passed) : "❌ " + t(.failed),
                ]
            })
        if model.checks.count > shown.count {
            line(
                esc(
                    either(
                        "… and \(model.checks.count - shown.count) more checks in the full report.",
                        "… ほか \(model.checks.count - shown.count) 件のチェックは詳細レポートにあります。")))
            line("")
        }
    }

    mutating func whatMatters() {
        let sentences = WhatMatters(model: model, t: t, f: f).sentences()
        guard !sentences.isEmpty else { return }
        line("## " + esc(either("What matters", "注目点")))
        line("")
        line(t.sentences(sentences.map { Escaping.markdown($0) }))
        line("")
    }

    mutating func latestCohorts() {
        let all = model.triangles.first(where: { $0.channel == "(all)" })
        // Cohorts with at least their first month complete, the youngest last.
        let cohorts = (all?.rows ?? []).filter { !$0.isWeighted && $0.logo.count > 1 && $0.logo[1] != nil }.suffix(
            SummaryMarkdown.cohortRows)
        line("## " + esc(either("Latest cohorts (all channels)", "直近のコホート（全チャネル）")))
        line("")
        // None yet: said, rather than a section that is not there.
        guard let all, !cohorts.isEmpty else {
            line(
                Escaping.markdown(
                    either(
                        "No signup month has a complete month after it yet, as of the as-of date.",
                        "基準日時点で、翌月まで観測できたコホートはまだありません。")))
            line("")
            return
        }
        let offsets = SummaryMarkdown.offsets
        let headers =
            [t(.cohort), t(.customers)]
            + offsets.map { either("Logo \(t.offsetHeader($0))", "ロゴ \(t.offsetHeader($0))") }
            + offsets.map { either("Revenue \(t.offsetHeader($0))", "売上 \(t.offsetHeader($0))") }
        var rows = cohorts.map { row -> [String] in
            [t.cohortLabel(row.cohort, f), f.integer(row.customers)]
                + offsets.map { k in k < row.logo.count ? (row.logo[k].map { f.percent($0) } ?? "") : "" }
                + offsets.map { k in k < row.revenue.count ? (row.revenue[k].map { f.percent($0) } ?? "") : "" }
        }
        if let w = all.rows.first(where: \.isWeighted) {
            rows.append(
                [t.cohortLabel(w.cohort, f), f.integer(w.customers)]
                    + offsets.map { k in k < w.logo.count ? (w.logo[k].map { f.percent($0) } ?? "") : "" }
                    + offsets.map { k in k < w.revenue.count ? (w.revenue[k].map { f.percent($0) } ?? "") : "" })
        }
        table(headers, rightAligned: Set(1..<headers.count), rows)
        line(esc(either("Blank cells are not yet observable at the as-of date.", "空欄は基準日時点でまだ観測できない月です。")))
        line("")
    }
}
