/// What a stage checks about the upstream outputs it reads, before it commits anything: that
/// each file is the one its stage's manifest lists (size, and XXH64 or SHA-256), and that the
/// upstream ran with the same `as_of` and the same settings as this run.
public enum Lineage {
    /// The stage names in run order.
    static let order = ["ingest", "normalize", "cohort", "churn-attribution", "report"]

    /// The first stage whose outputs depend on `as_of` (where a rerun at another date starts).
    static var firstAsOfStage: String {
        order.first { StageDescription.named($0)?.configSections.contains("as_of") ?? false } ?? "normalize"
    }

    /// Refuses an upstream manifest computed with another `as_of` or other settings than `config`.
    static func check(_ upstream: Manifest, manifestPath: String, against config: PipelineConfig) throws {
        let ours = config.asOf.description
        if let recorded = upstream.configSection("as_of") {
            let theirs = upstream.asOf.isEmpty ? (recorded.stringValue ?? "") : upstream.asOf
            if theirs != ours {
                throw LineageError.asOfMismatch(
                    manifest: manifestPath, stage: upstream.stage, upstream: theirs, current: ours,
                    rerunFrom: firstAsOfStage)
            }
        }
        for (name, recorded) in upstream.config.objectValue ?? [] where name != "as_of" {
            // Only the keys the upstream recorded: a stage may read one key of a section
            // (cohort reads report.max_channels), and other keys of it do not concern its outputs.
            let keys = recorded.objectValue.map { $0.map { "\(name).\($0.0)" } } ?? [name]
            let current = config.section(keys)[name] ?? .null
            if let diff = firstDifference(recorded, current, path: name) {
                throw LineageError.settingMismatch(
                    manifest: manifestPath, stage: upstream.stage, key: diff.path,
                    upstream: diff.old, current: diff.new)
            }
        }
    }

    /// The first key path where two configuration values differ, with both values as JSON.
    /// Objects compare by key, whatever their order in the file.
    static func firstDifference(_ a: JSONValue, _ b: JSONValue, path: String) -> (
        path: String, old: String, new: String
    )? {
        if let x = a.objectValue, let y = b.objectValue {
            for (k, v) in x {
                if let d = firstDifference(v, b[k] ?? .null, path: "\(path).\(k)") { return d }
            }
            for (k, v) in y where a[k] == nil && !v.isNull { return ("\(path).\(k)", "null", v.serialized()) }
            return nil
        }
        if let x = a.arrayValue, let y = b.arrayValue, x.count == y.count {
            for (i, (v, w)) in zip(x, y).enumerated() {
                if let d = firstDifference(v, w, path: "\(path)[\(i)]") { return d }
            }
            return nil
        }
        return a == b ? nil : (path, a.serialized(), b.serialized())
    }

    /// An input `manifest` recorded from another stage's output that is no longer what that
    /// stage's current manifest lists: the work folder then mixes two runs (a stage folder copied
    /// from elsewhere, or an upstream rerun after this stage). An input is matched to its producer
    /// by the stage folder and file name its path ends with (`normalize/customers.jsonl`), so a
    /// project moved to another folder still matches; only stages before `manifest`'s own are
    /// producers (a raw source in a folder called `cohort` is not a stage output). `current`
    /// gives a stage's current manifest, nil when it has none (then nothing is compared).
    static func mixedInput(of manifest: Manifest, current: (StageDescription) throws -> Manifest?) rethrows
        -> MixedInput?
    {
        guard let own = order.firstIndex(of: manifest.stage) else { return nil }
        for input in manifest.inputs {
            let (folder, file) = FilePaths.folderAndName(input.path)
            guard let folder, let at = order.firstIndex(of: folder), at < own,
                let producer = StageDescription.named(order[at]), let m = try current(producer)
            else { continue }
            let listed = m.outputs.first { FilePaths.folderAndName($0.path).name == file }
            if listed?.sha256 != input.sha256 || (listed?.bytes.map { $0 != input.bytes } ?? false) {
                return MixedInput(
                    stage: manifest.stage, producer: producer.name, file: "\(producer.name)/\(file)",
                    recorded: input.sha256, current: listed?.sha256)
            }
        }
        return nil
    }

    /// A stage's input that its producer's current manifest no longer lists with the same digest.
    struct MixedInput: Equatable {
        var stage: String
        var producer: String
        var file: String
        var recorded: String
        /// nil when the producer's manifest no longer lists the file.
        var current: String?
    }

    /// Refuses an input whose bytes are not the ones its stage's manifest lists: `digest` is the
    /// digest computed while reading it, `expectedDigest` the same kind of digest from the manifest.
    static func checkFile(
        path: String, stage: String, expectedBytes: Int?, expectedDigest: String, bytes: Int, digest: String
    ) throws {
        if expectedDigest.isEmpty || digest != expectedDigest || (expectedBytes.map { $0 != bytes } ?? false) {
            throw LineageError.inputChanged(path: path, stage: stage)
        }
    }
}

/// An upstream output that cannot be trusted for this run (exit 1).
public enum LineageError: PipelineError, Equatable {
    /// The file is not the one the upstream manifest lists (edited, half-written, or replaced).
    case inputChanged(path: String, stage: String)
    case asOfMismatch(manifest: String, stage: String, upstream: String, current: String, rerunFrom: String)
    case settingMismatch(manifest: String, stage: String, key: String, upstream: String, current: String)
    /// An upstream stage's outputs were computed from other outputs of a stage before it than
    /// the ones that stage's manifest lists now.
    case mixedRuns(manifest: String, stage: String, file: String, producer: String, recorded: String, current: String?)

    public var exitCode: Int32 { 1 }

    public var description: String {
        switch self {
        case .inputChanged(let path, let stage):
            return
                "\(path) does not match \(stage)'s manifest: it was changed or half-written; rerun \(stage) (`make`, or `\(stage) --config ...`)."
        case .asOfMismatch(let manifest, let stage, let upstream, let current, let from):
            return
                "\(manifest): \(stage) ran with as_of \(upstream) but this run uses \(current): run `make`, or rerun from \(from) with this run's as_of (\(current): as_of in the configuration, or --as-of \(current) on each stage), or run this stage with --as-of \(upstream) to read those outputs as they are."
        case .settingMismatch(let manifest, let stage, let key, let upstream, let current):
            return
                "\(manifest): \(stage) ran with \(key) = \(upstream) but this run uses \(current): run `make`, or rerun \(stage) and the stages after it with this configuration."
        case .mixedRuns(let manifest, let stage, let file, let producer, let recorded, let current):
            let now = current.map { "lists SHA-256 \($0.prefix(12))…" } ?? "no longer lists it"
            return
                "\(manifest): \(stage) was computed from \(file) with SHA-256 \(recorded.prefix(12))…, but \(producer)'s manifest now \(now): the work folder mixes two runs. Run `make` (it reruns \(stage) and the stages after it), or rerun them by hand."
        }
    }
}

extension StageDescription {
    /// Every stage, in run order.
    public static let all: [StageDescription] = [.ingest, .normalize, .cohort, .attribution, .report]

    /// The stage called `name`.
    public static func named(_ name: String) -> StageDescription? { all.first { $0.name == name } }
}
