/// The names, prices and texts the sample generator draws from, pre-encoded as bytes.
enum GeneratorVocabulary {
    static func encoded(_ list: [String]) -> [[UInt8]] { list.map { Array($0.utf8) } }
    /// The bytes of free texts, each quoted for CSV when it needs to be (`csvField`).
    static func csvFields(_ list: [String]) -> [[UInt8]] { list.map { [UInt8].csvField($0) } }

    static let channels = encoded(PlantedEffects.channels)
    static let paidSocial = 2
    static let partner = 3

    static let plans = encoded(PlantedEffects.plans)

    static let salesReps = encoded([
        "Aoi Sato", "Daiki Suzuki", "Emi Takahashi", "Kenji Tanaka",
        "Mei Ito", "Ren Watanabe", "Sora Yamamoto", "Yuki Nakamura",
    ])

    /// Regions; the last two are billed in USD (their weights sum to `PlantedEffects.usdCustomerShare`).
    static let regions = encoded(["Kanto", "Kansai", "Chubu", "Kyushu", "Tohoku", "North America", "Europe"])
    static let regionWeights = [0.40, 0.20, 0.12, 0.08, 0.05, 0.09, 0.06]
    static let firstUSDRegion = 5

    static let companySizes = encoded(["1-10", "11-50", "51-200", "201-1000", "1001+"])
    /// Company-size mix per first plan (rows: plans; columns: `companySizes`).
    static let companySizeWeights: [[Double]] = [
        [0.60, 0.35, 0.05, 0.00, 0.00],
        [0.20, 0.50, 0.30, 0.00, 0.00],
        [0.00, 0.25, 0.50, 0.25, 0.00],
        [0.00, 0.00, 0.15, 0.50, 0.35],
    ]

    /// Billing mix per plan: monthly, quarterly, annual.
    static let billingWeights: [[Double]] = [
        [0.90, 0.07, 0.03],
        [0.80, 0.08, 0.12],
        [0.60, 0.10, 0.30],
        [0.30, 0.10, 0.60],
    ]
    static let billingPeriods = encoded(["month", "quarter", "year"])

    /// Monthly list prices per seat in minor units: JPY (yen) and USD (cents), by plan.
    static let listPriceJPY = [9_800, 29_800, 79_800, 298_000]
    static let listPriceUSD = [6_500, 19_900, 52_900, 199_000]
    static let addOnPriceJPY = 19_800
    static let addOnPriceUSD = 12_900
    static let core = Array("core".utf8)
    static let analytics = Array("analytics".utf8)
    static let jpy = Array("JPY".utf8)
    static let usd = Array("USD".utf8)
    static let eur = Array("EUR".utf8)

    /// Cancellation reason codes, in the order of `reason_categories` in pipeline.json.
    static let reasonCodes = [
        "too_expensive", "missing_feature", "switched_competitor", "no_longer_needed",
        "business_closed", "poor_support", "hard_to_use", "slow_onboarding",
    ]
    static let reasonCategories = [
        "price", "function gap", "competitor", "no need",
        "business closed", "support gap", "time-to-value gap", "time-to-value gap",
    ]
    static let reasons = encoded(reasonCodes)
    static let baseReasonWeights: [Double] = [18, 16, 12, 14, 6, 8, 12, 10]

    /// Reasons typed by hand instead of picked from the list.
    static let freeTextReasons = csvFields([
        "Merged with our parent company", "Project ended", "Moving to an in-house tool, cheaper for us",
        "Budget freeze until next fiscal year", "Owner retired",
    ])
    static let freeTextReasonProbability = 0.04

    static let comments = csvFields([
        "Said the \"Pro\" plan was too much for a team of three", "Will revisit next year, budget is tight",
        "Needed Salesforce sync; asked twice", "Champion left the company",
        "Could not get reports to match their Excel, gave up", "Went with a cheaper tool", "Never finished setup",
        "Support replies took 3+ days, \"unacceptable\" per the CFO", "Seasonal business, may return in spring",
        "Consolidating vendors",
    ])
    static let commentProbability = 0.40

    static let retailChannels = encoded(RetailEffects.channels)
    static let stores = encoded(RetailEffects.stores)
    static let box = Array("box".utf8)
    static let boxPlan = Array("monthly_box".utf8)

    static let login = Array("login".utf8)
    static let reportCreated = Array(PlantedEffects.activationEvent.utf8)
}
