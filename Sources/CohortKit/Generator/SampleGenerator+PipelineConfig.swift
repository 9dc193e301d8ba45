/// The `pipeline.json` written beside a generated sample.
extension SampleGenerator {
    /// The configuration for the generated files: source paths relative to the sample's folder,
    /// `as_of` the last generated day, and attribution settings matching the planted effects.
    /// Stable key order, 2-space indentation, trailing newline.
    public func pipelineJSON() -> String {
        switch shape {
        case .saas:
            return configJSON(
                sources: """
                    ,
                        "events": {
                          "path": "events.jsonl",
                          "format": "jsonl",
                          "optional": true
                        }
                    """,
                dimensions: ["acquisition_channel", "plan", "sales_rep", "region"],
                attribution: """
                        "early_churn_days": \(PlantedEffects.earlyPeriodDays),
                        "min_segment_customers": 30,
                    """,
                activation: """
                    ,
                        "activation": {
                          "event": "\(PlantedEffects.activationEvent)",
                          "days": \(PlantedEffects.activationWindowDays)
                        }
                    """,
                checks: """
                    ,
                        "checks": [
                          {
                            "metric": "nrr_trailing_12m",
                            "min": 0.9
                          }
                        ]
                    """)
        case .retail:
            // No events (so no activation), `store` as an attribution dimension beside the
            // channel, and no report checks (a box business's NRR is far below the SaaS sample's
            // threshold). Every one of the 35 stores gets its own Cox term and pairwise tests
            // (`max_compared_values` 40), as in the design the bench compares with lifelines,
            // once 350 or more customers have churned (one Cox term per ten churned customers).
            return configJSON(
                sources: "", dimensions: ["acquisition_channel", "store"],
                attribution: """
                        "early_churn_days": 60,
                        "min_segment_customers": 30,
                        "max_compared_values": 40,
                    """,
                activation: "", checks: "")
        }
    }

    /// The configuration both shapes share, with each shape's parts spliced in (each part with
    /// its own leading comma and the indentation of its place).
    private func configJSON(
        sources: String, dimensions: [String], attribution: String, activation: String, checks: String
    ) -> String {
        let categories = zip(GeneratorVocabulary.reasonCodes, GeneratorVocabulary.reasonCategories)
            .map { "        \"\($0)\": \"\($1)\"" }
            .joined(separator: ",\n")
        let dims = dimensions.map { "      \"\($0)\"" }.joined(separator: ",\n")
        return """
            {
              "version": 1,
              "as_of": "\(asOfDate)",
              "work_dir": "work",
              "reports_dir": "reports",
              "currency": {
                "report": "JPY",
                "rates": {
                  "USD": \(PlantedEffects.usdRate)
                },
                "minor_units": {
                  "JPY": 0,
                  "USD": 2
                }
              },
              "sources": {
                "customers": {
                  "path": "customers.csv",
                  "format": "csv",
                  "columns": {
                    "customer_id": "Account ID"
                  }
                },
                "subscriptions": {
                  "path": "subscriptions.csv",
                  "format": "csv"
                },
                "cancellations": {
                  "path": "cancellations.csv",
                  "format": "csv",
                  "optional": true
                }\(sources)
              },
              "ingest": {
                "max_reject_ratio": 0.01
              },
              "normalize": {
                "grace_days": 7,
                "cohort_basis": "first_subscription"
              },
              "cohort": {
                "max_offset_months": 24,
                "confidence": 0.95
              },
              "attribution": {
                "dimensions": [
            \(dims)
                ],
            \(attribution)
                "reason_categories": {
            \(categories)
                }\(activation)
              },
              "report": {
                "title": "Retention report",
                "locale": "en",
                "formats": [
                  "md",
                  "html"
                ]\(checks)
              }
            }

            """
    }
}
