public enum CohortKit { public static let version = "0.1.0" }
