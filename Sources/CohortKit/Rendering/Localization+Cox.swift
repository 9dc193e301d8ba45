/// Why the Cox model did not converge (or was not fitted), in the report's language.
extension Localizer {
    /// "The model did not converge:" and the fit's message; in Japanese its notes worded from their
    /// values (a model without notes, from a cox_model.json written before they were recorded,
    /// shows the message as written).
    func notConvergedLine(_ info: CoxModelInfo, _ f: ReportFormatter) -> String {
        switch info.nothingToFit {
        case .noEvents?:
            return pick(
                "The model was not fitted: no customer in it has churned, so there is no hazard to compare.",
                "モデルは当てはめていません。解約した顧客がいないため、比べるハザードがありません。")
        case .noSubjects?:
            return pick(
                "The model was not fitted: it has no customers to fit.",
                "モデルは当てはめていません。当てはめる顧客がいません。")
        default: break
        }
        guard locale == .ja, !info.notes.isEmpty else {
            return self(.notConverged) + pick(" ", "") + (info.message ?? "")
        }
        return self(.notConverged) + info.notes.map { japanese($0, dimensions: info.dimensions, f) + "。" }.joined()
    }

    /// One note in Japanese; a term (`dimension=level`) by the report's names for its dimension
    /// and level, split by the model's `dimensions`.
    func japanese(_ note: CoxNote, dimensions: [String], _ f: ReportFormatter) -> String {
        func term(_ name: String) -> String {
            "「" + levelsText(CoxModelInfo.levels([name], dimensions: dimensions)) + "」"
        }
        func level(_ l: SetAsideLevel) -> String {
            "「" + levelsText([DimensionLevel(dimension: l.dimension, level: l.level)]) + "」"
        }
        switch note {
        case .inputShape(let problem): return "入力の形が合いません（\(problem)）"
        case .noSubjects: return "対象の顧客がいないため、推定できません"
        case .confidenceOutOfRange(let c): return "信頼水準は 0 より大きく 1 より小さい値でなければなりません（\(c)）"
        case .notFinite(let covariate, let row): return "共変量\(term(covariate))の \(f.integer(row)) 行目の値が有限ではありません"
        case .noEvents: return "解約が 1 件もないため部分尤度が平坦で、ハザード比を推定できません"
        case .dropped(let terms):
            let reasons = terms.map { t -> String in
                guard let with = t.collinearWith else { return "\(term(t.name))（全行で同じ値）" }
                let partners = with.isEmpty ? "それ以前の共変量" : with.map(term).joined(separator: "、")
                return "\(term(t.name))（\(partners)と共線）"
            }
            return "推定から" + reasons.joined(separator: "、") + "を除きました"
        case .noCovariates: return "推定する共変量がありません（対数尤度は β = 0 での値）"
        case .singularInformation(let i): return "反復 \(f.integer(i)) 回目で情報行列が特異になりました"
        case .iterationLimit(let n): return "\(f.integer(n)) 回の反復で収束しませんでした"
        case .stepHalvingFailed(let i): return "反復 \(f.integer(i)) 回目で、ステップを半分にしていっても対数尤度が増えませんでした"
        case .diverging(let terms):
            let described = terms.map { "\(term($0.name))（\($0.towardPlus ? "+∞" : "-∞")）" }
            return described.joined(separator: "、") + "の係数が発散し、収束しません。"
                + "解約のない（または全員が解約した）水準はハザード比を推定できないため、まとめるか除いてください"
        case .informationNotInvertible: return "情報行列の逆行列が求まらないため、標準誤差を出せません"
        case .setAside(let n, let levels):
            let listed = levels.map { "\(level($0))（\(f.integer($0.customers)) 社）" }
            return "誰も解約していない水準" + listed.joined(separator: "、")
                + "の顧客 \(f.integer(n)) 社を除いて推定しました。これらの水準のハザード比は 0 に向かうため推定できず、他の係数はそれらを除いた推定の値です"
        }
    }
}
