import Foundation

/// The golden values in `Fixtures/golden/NAME.json` (computed outside the suite by
/// `scripts/golden/*.py`), from the test bundle or beside the sources, snake_case keys read as
/// camelCase (`churn_prob_90` reads as `churnProb90`).
enum GoldenFixture {
    static func load<T: Decodable>(_ name: String) throws -> T {
        let url =
            Bundle.module.url(forResource: "Fixtures/golden/\(name)", withExtension: "json")
            ?? Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/golden")
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/golden/\(name).json").standardized
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: Data(contentsOf: url))
    }
}
